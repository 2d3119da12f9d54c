#pragma once
// The SQS service module's front end: the query and JSON 1.0 protocols of the
// 2012-11-05 API on the generic endpoint (sidecar/aws/), with the action table
// (actions.cc), one file per action, and the error map (error_map.cc).
//
//   JSON 1.0:  POST /  X-Amz-Target: AmazonSQS.<Action>  (current SDKs)
//   query:     POST /[<account>/<queue>]  Action=<Action>&Version=2012-11-05  (older SDKs, CLI v2),
//              also GET with the parameters in the URL

#include <memory>

#include "runtime/queue/queue_service.h"
#include "sidecar/aws/service.h"

namespace sluice::sqs {

// What SQS handlers work with.
struct Sqs {
  queue::QueueService& queues;
};

class SqsService final : public aws::TableService<Sqs> {
 public:
  explicit SqsService(queue::QueueService& queues);

  protocol::AwsError to_aws_error(const Error& error) const override;
  // A query request posted to a queue URL (/<account>/<name>) names that queue.
  void complete_from_path(std::string_view path, const aws::RequestContext& context, const protocol::Operation& op,
                          nlohmann::json& input) const override;
};

// The embedded SQS wire model (generated from sqs.model.json at build time).
const protocol::ServiceModel& sqs_model();

// Answers a call with an empty success, or the failure.
inline queue::StatusCallback answer(const aws::CallPtr& call) {
  return [call](queue::Status s) {
    if (!s.ok()) return call->fail(s.error());
    call->succeed();
  };
}

}  // namespace sluice::sqs
