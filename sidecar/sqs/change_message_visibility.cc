#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void change_message_visibility(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  queue::VisibilityChange change{string_or_empty(call->input(), "ReceiptHandle"),
                                 optional_int(call->input(), "VisibilityTimeout").value_or(0)};
  q->change_visibility({std::move(change)}, [call](std::vector<queue::Status> r) {
    if (!r[0].ok()) return call->fail(r[0].error());
    call->succeed();
  });
}

}  // namespace sluice::sqs
