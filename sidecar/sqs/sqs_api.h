#pragma once
// The SQS front-end: recognises SQS requests in either wire protocol, decodes
// them into the model's input tree, dispatches to the action table, and lets the
// call render the answer in the protocol it came in.
//
//   JSON 1.0:  POST /  X-Amz-Target: AmazonSQS.<Action>  (current SDKs)
//   query:     POST /[<account>/<queue>]  Action=<Action>&Version=2012-11-05  (older SDKs, CLI v2)
//              also GET with the parameters in the URL

#include <memory>

#include "sidecar/server/http.h"
#include "sidecar/sqs/call.h"

namespace sluice::metrics {
class Metrics;
class ActionMetrics;
}  // namespace sluice::metrics

namespace sluice::sqs {

class SqsApi {
 public:
  SqsApi(queue::QueueService& queues, SqsConfig config, metrics::Metrics& metrics);
  ~SqsApi();

  // True for requests addressed to SQS (JSON target, or a query request whose
  // Version, signing scope or path names SQS).
  bool accepts(const server::HttpRequest& req) const;
  void handle(server::HttpRequest&& req, server::Responder respond);

  const protocol::ServiceModel& model() const { return *model_; }

 private:
  void dispatch(Wire wire, const protocol::Operation& op, nlohmann::json input, Caller caller,
                server::Responder respond);

  std::unique_ptr<protocol::ServiceModel> model_;
  SqsConfig config_;
  SqsEnv env_;
  metrics::Metrics& metrics_;
};

// The embedded SQS service model (generated from sqs.model.json at build time).
extern const char kSqsModelJson[];

}  // namespace sluice::sqs
