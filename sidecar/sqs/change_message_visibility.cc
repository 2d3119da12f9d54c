#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void change_message_visibility(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  queue::VisibilityChange change{aws::string_or_empty(call->input(), "ReceiptHandle"),
                                 aws::optional_int(call->input(), "VisibilityTimeout").value_or(0)};
  q->change_visibility({std::move(change)}, [call](std::vector<queue::Status> r) {
    if (!r[0].ok()) return call->fail(r[0].error());
    call->succeed();
  });
}

}  // namespace sluice::sqs
