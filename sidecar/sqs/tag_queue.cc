#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void tag_queue(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  auto s = call->env().queues.tag_queue(q, string_map(call->input(), "Tags"));
  if (!s.ok()) return call->fail(s.error());
  call->succeed();
}

}  // namespace sluice::sqs
