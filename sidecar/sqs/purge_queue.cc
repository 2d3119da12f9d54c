#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void purge_queue(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  q->purge([call](queue::Status s) {
    if (!s.ok()) return call->fail(s.error());
    call->succeed();
  });
}

}  // namespace sluice::sqs
