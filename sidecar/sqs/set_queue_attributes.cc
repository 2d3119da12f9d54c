#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void set_queue_attributes(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  auto s = call->env().queues.set_attributes(q, string_map(call->input(), "Attributes"));
  if (!s.ok()) return call->fail(s.error());
  call->succeed();
}

}  // namespace sluice::sqs
