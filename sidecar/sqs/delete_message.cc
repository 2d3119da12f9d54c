#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void delete_message(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  q->delete_messages({string_or_empty(call->input(), "ReceiptHandle")}, [call](std::vector<queue::Status> r) {
    if (!r[0].ok()) return call->fail(r[0].error());
    call->succeed();
  });
}

}  // namespace sluice::sqs
