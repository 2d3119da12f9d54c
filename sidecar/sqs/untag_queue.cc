#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void untag_queue(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  auto s = call->env().queues.untag_queue(q, string_list(call->input(), "TagKeys"));
  if (!s.ok()) return call->fail(s.error());
  call->succeed();
}

}  // namespace sluice::sqs
