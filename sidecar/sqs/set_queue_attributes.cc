#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void set_queue_attributes(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  sqs.queues.set_attributes(q, aws::string_map(call->input(), "Attributes"), answer(call));
}

}  // namespace sluice::sqs
