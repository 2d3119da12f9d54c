#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void remove_permission(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  auto s = call->env().queues.remove_permission(q, string_or_empty(call->input(), "Label"));
  if (!s.ok()) return call->fail(s.error());
  call->succeed();
}

}  // namespace sluice::sqs
