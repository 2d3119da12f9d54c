#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void delete_queue(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  const auto& id = q->identity();
  sqs.queues.delete_queue({id.region, id.account, id.name}, /*api=*/true, answer(call));
}

}  // namespace sluice::sqs
