#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void delete_message(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  q->delete_messages({aws::string_or_empty(call->input(), "ReceiptHandle")}, [call](std::vector<queue::Status> r) {
    if (!r[0].ok()) return call->fail(r[0].error());
    call->succeed();
  });
}

}  // namespace sluice::sqs
