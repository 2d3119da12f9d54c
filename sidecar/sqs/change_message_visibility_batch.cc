#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/batches.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void change_message_visibility_batch(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  const auto& entries = call->input()["Entries"];
  if (auto s = check_batch(entries, "ChangeMessageVisibilityBatchRequestEntry"); !s) return call->fail(s.error());
  std::vector<std::string> ids;
  std::vector<queue::VisibilityChange> changes;
  for (const auto& e : entries) {
    ids.push_back(aws::string_or_empty(e, "Id"));
    changes.push_back(
        {aws::string_or_empty(e, "ReceiptHandle"), aws::optional_int(e, "VisibilityTimeout").value_or(0)});
  }
  q->change_visibility(std::move(changes), [call, ids = std::move(ids)](std::vector<queue::Status> results) {
    call->succeed(render_batch_statuses(*call, ids, results));
  });
}

}  // namespace sluice::sqs
