#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void untag_queue(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  sqs.queues.untag_queue(q, aws::string_list(call->input(), "TagKeys"), answer(call));
}

}  // namespace sluice::sqs
