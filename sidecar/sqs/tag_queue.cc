#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void tag_queue(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  sqs.queues.tag_queue(q, aws::string_map(call->input(), "Tags"), answer(call));
}

}  // namespace sluice::sqs
