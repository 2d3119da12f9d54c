#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"

namespace sluice::sqs {

void list_message_move_tasks(Sqs& sqs, const aws::CallPtr& call) {
  const auto& in = call->input();
  auto tasks =
      sqs.queues.list_message_move_tasks(aws::string_or_empty(in, "SourceArn"), aws::optional_int(in, "MaxResults"));
  if (!tasks.ok()) return call->fail(tasks.error());
  nlohmann::json results = nlohmann::json::array();
  for (const auto& t : *tasks) {
    nlohmann::json entry = {{"Status", queue::to_string(t.status)},
                            {"SourceArn", t.source_arn},
                            {"ApproximateNumberOfMessagesMoved", t.moved},
                            {"ApproximateNumberOfMessagesToMove", t.to_move},
                            {"StartedTimestamp", t.started_ms}};
    if (!t.task_handle.empty()) entry["TaskHandle"] = t.task_handle;
    if (!t.destination_arn.empty()) entry["DestinationArn"] = t.destination_arn;
    if (t.max_per_second) entry["MaxNumberOfMessagesPerSecond"] = *t.max_per_second;
    if (!t.failure_reason.empty()) entry["FailureReason"] = t.failure_reason;
    results.push_back(std::move(entry));
  }
  call->succeed({{"Results", std::move(results)}});
}

}  // namespace sluice::sqs
