#pragma once
// Drives the AWS endpoint in process, without sockets, the way Dragonfly's
// Run({...}) drives its dispatcher, so that C++ tests reach every handler,
// framework error and protocol quirk:
//
//   aws::testing::Harness h({&sqs});
//   auto r = h.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "hi"}});
//   EXPECT_EQ(r.status, 200);
//   EXPECT_EQ(h.call("CreateQueue", {}).code, "MissingParameter");
//   auto q = h.query("GetQueueUrl", {{"QueueName", "orders"}});   // query protocol, XML
//
// A call that the engine answers later (a long poll, a commit on another thread)
// is waited for by running `pump` until it answers.

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sidecar/aws/endpoint.h"

namespace sluice::aws::testing {

using Params = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  int status = 0;
  std::string code;     // the error's code (query code, or the JSON type); "" on success
  std::string message;  // the error's message
  nlohmann::json body;  // a JSON reply, parsed (null for XML)
  std::string text;     // the raw body
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;
  // A streamed answer (an event stream): run it with a BodyWriter to get the body.
  std::function<void(std::shared_ptr<server::BodyWriter>)> stream;

  bool ok() const { return status == 200; }
  std::string header(const std::string& name) const;
};

struct Identity {
  std::string access_key = "AKIDEXAMPLE";  // a 12-digit key picks the account
  std::string region = "us-east-1";
};

class Harness {
 public:
  // services[0] is the one call() and query() address.
  explicit Harness(std::vector<Service*> services, EndpointOptions options = {}, std::function<void()> pump = {});

  // The JSON protocol: POST / with X-Amz-Target: <prefix>.<action>, signed as `who`.
  Reply call(const std::string& action, const nlohmann::json& input, const Identity& who = {});
  // The query protocol: a form body with Action and Version; `path` for requests to a resource URL.
  Reply query(const std::string& action, const Params& params, const Identity& who = {}, const std::string& path = "/");
  // Any request.
  Reply raw(server::HttpRequest request);

  static std::string form(const Params& params);
  static std::string authorization(const Identity& who, const std::string& service);

  Endpoint& endpoint() { return endpoint_; }

 private:
  std::vector<Service*> services_;
  Endpoint endpoint_;
  std::function<void()> pump_;
};

}  // namespace sluice::aws::testing
