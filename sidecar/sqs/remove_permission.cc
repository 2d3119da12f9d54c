#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void remove_permission(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  sqs.queues.remove_permission(q, aws::string_or_empty(call->input(), "Label"), answer(call));
}

}  // namespace sluice::sqs
