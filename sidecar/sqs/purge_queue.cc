#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void purge_queue(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  q->purge(answer(call));
}

}  // namespace sluice::sqs
