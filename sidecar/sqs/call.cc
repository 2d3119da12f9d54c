#include "sidecar/sqs/call.h"

#include "sidecar/metrics/metrics.h"
#include "sidecar/protocol/json_writer.h"
#include "sidecar/protocol/query_codec.h"
#include "sidecar/sqs/error_map.h"

namespace sluice::sqs {

using json = nlohmann::json;

SqsCall::SqsCall(const SqsEnv& env, Wire wire, const protocol::Operation& op, json input, Caller caller,
                 server::Responder respond, metrics::ActionMetrics* metrics)
    : env_(env),
      wire_(wire),
      op_(op),
      input_(std::move(input)),
      caller_(std::move(caller)),
      respond_(std::move(respond)),
      metrics_(metrics) {}

static double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void SqsCall::succeed(const json& output) {
  if (answered_.exchange(true)) return;
  server::HttpResponse r;
  r.headers.emplace_back("x-amzn-RequestId", caller_.request_id);
  if (wire_ == Wire::json) {
    r.content_type = "application/x-amz-json-1.0";
    r.body = protocol::to_json_text(output);
  } else {
    r.content_type = "text/xml";
    r.body = protocol::encode_query_response(env_.model, op_, output, caller_.request_id);
  }
  if (metrics_) metrics_->succeeded(seconds_since(started_));
  respond_(std::move(r));
}

void SqsCall::fail(const protocol::AwsError& error) {
  if (answered_.exchange(true)) return;
  if (metrics_) metrics_->failed(error.code, seconds_since(started_));
  respond_(render_error(env_.model, wire_, error, caller_.request_id));
}

void SqsCall::fail(const queue::Error& error) { fail(to_aws_error(env_.model, error)); }

server::HttpResponse render_error(const protocol::ServiceModel& model, Wire wire, const protocol::AwsError& error,
                                  const std::string& request_id) {
  server::HttpResponse r;
  r.status = error.status;
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  if (wire == Wire::json) {
    r.content_type = "application/x-amz-json-1.0";
    r.headers.emplace_back("x-amzn-query-error", error.code + (error.sender ? ";Sender" : ";Receiver"));
    // Protocol-level errors (unknown operation, bad JSON) come from the service
    // framework, not the SQS model, and carry its namespace.
    const bool framework = error.type == "UnknownOperationException" || error.type == "SerializationException";
    json body = {{"__type", (framework ? "com.amazon.coral.service#" : "com.amazonaws.sqs#") + error.type},
                 {"message", error.message}};
    r.body = protocol::to_json_text(body);
  } else {
    r.content_type = "text/xml";
    r.body = protocol::encode_query_error(model, error, request_id);
  }
  return r;
}

}  // namespace sluice::sqs
