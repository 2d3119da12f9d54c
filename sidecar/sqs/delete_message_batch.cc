#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/batches.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void delete_message_batch(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  const auto& entries = call->input()["Entries"];
  if (auto s = check_batch(entries, "DeleteMessageBatchRequestEntry"); !s) return call->fail(s.error());
  std::vector<std::string> ids, handles;
  for (const auto& e : entries) {
    ids.push_back(aws::string_or_empty(e, "Id"));
    handles.push_back(aws::string_or_empty(e, "ReceiptHandle"));
  }
  q->delete_messages(std::move(handles), [call, ids = std::move(ids)](std::vector<queue::Status> results) {
    call->succeed(render_batch_statuses(*call, ids, results));
  });
}

}  // namespace sluice::sqs
