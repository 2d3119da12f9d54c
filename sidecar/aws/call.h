#pragma once
// One AWS API call in progress: its decoded input (the model's input tree, the
// same whatever the wire protocol), who made it, and how to answer. A handler
// does its engine work, possibly asynchronously, and finishes with succeed() or
// fail(); the call renders the answer in the protocol the request came in.
// Only the first answer counts.
//
// Errors: handlers fail with the engine's Error; the service's error map (and
// only it) turns it into the AWS error.

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "runtime/common/error.h"
#include "sidecar/aws/wire.h"
#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"
#include "sidecar/server/http.h"

namespace sluice::metrics {
class ActionMetrics;
}

namespace sluice::aws {

class Service;

// Who is calling and where the request arrived.
struct RequestContext {
  std::string request_id;
  std::string access_key;    // from the credential scope; "" if unsigned
  std::string account;       // the caller's account
  std::string region;        // the credential scope's region, else the server's --region
  std::string host;          // the Host header: URLs a service returns are built on it
  std::string trace_header;  // X-Amzn-Trace-Id, when the request has one
};

class Call {
 public:
  Call(Service& service, const protocol::Operation& op, Wire wire, nlohmann::json input, RequestContext context,
       server::Responder respond, metrics::ActionMetrics* metrics);

  const protocol::Operation& operation() const { return op_; }
  const nlohmann::json& input() const { return input_; }
  const RequestContext& context() const { return context_; }
  const Wire& wire() const { return wire_; }

  void succeed(const nlohmann::json& output = nlohmann::json::object());
  // Answers with an event stream (application/vnd.amazon.eventstream): the
  // status and headers go out, then `start` runs, on a server thread, with the
  // body's writer; render_event() frames what it writes.
  void succeed_streaming(std::function<void(std::shared_ptr<server::BodyWriter>)> start);
  void fail(const Error& error);
  // The AWS error an engine error becomes (for the failed entries of a batch).
  protocol::AwsError describe(const Error& error) const;
  bool answered() const { return answered_.load(); }

 private:
  friend class Endpoint;
  // Framework errors (an exception in a handler): the endpoint's only.
  void fail_with(const protocol::AwsError& error);

  Service& service_;
  const protocol::Operation& op_;
  Wire wire_;
  nlohmann::json input_;
  RequestContext context_;
  server::Responder respond_;
  metrics::ActionMetrics* metrics_;
  std::atomic<bool> answered_{false};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

using CallPtr = std::shared_ptr<Call>;

}  // namespace sluice::aws
