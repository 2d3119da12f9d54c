#pragma once
// One SQS API call in progress: its decoded input, who made it, and how to
// answer. Handlers receive a SqsCallPtr, do their engine work (possibly
// asynchronously) and finish with succeed() or fail(); the call renders the
// answer in the protocol the request came in (JSON 1.0 or query/XML).

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "runtime/queue/errors.h"
#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"
#include "sidecar/server/http.h"

namespace sluice::queue {
class QueueService;
}
namespace sluice::metrics {
class ActionMetrics;
}

namespace sluice::sqs {

enum class Wire { json, query };

// Settings of the SQS front-end.
struct SqsConfig {
  std::string region = "us-east-1";
  std::string default_account = "000000000000";
};

struct SqsEnv {
  queue::QueueService& queues;
  const protocol::ServiceModel& model;
  const SqsConfig& config;
};

// Who is calling and where the request arrived.
struct Caller {
  std::string account;        // the caller's account: access key if it is an account id, else the default
  std::string access_key;     // from the SigV4 Authorization header, "" if unsigned
  std::string host;           // Host header: queue URLs are built on it
  std::string request_id;
  std::string path_queue_url;  // for query requests posted to a queue URL: that URL
};

class SqsCall {
 public:
  SqsCall(const SqsEnv& env, Wire wire, const protocol::Operation& op, nlohmann::json input, Caller caller,
          server::Responder respond, metrics::ActionMetrics* metrics);

  const SqsEnv& env() const { return env_; }
  const nlohmann::json& input() const { return input_; }
  const Caller& caller() const { return caller_; }
  const protocol::Operation& operation() const { return op_; }

  // Answer the call; only the first answer counts.
  void succeed(const nlohmann::json& output = nlohmann::json::object());
  void fail(const protocol::AwsError& error);
  void fail(const queue::Error& error);
  bool answered() const { return answered_.load(); }

 private:
  const SqsEnv& env_;
  Wire wire_;
  const protocol::Operation& op_;
  nlohmann::json input_;
  Caller caller_;
  server::Responder respond_;
  metrics::ActionMetrics* metrics_;
  std::atomic<bool> answered_{false};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

using SqsCallPtr = std::shared_ptr<SqsCall>;

// Renders an error in the given wire format (used before a call exists, too).
server::HttpResponse render_error(const protocol::ServiceModel& model, Wire wire, const protocol::AwsError& error,
                                  const std::string& request_id);

}  // namespace sluice::sqs
