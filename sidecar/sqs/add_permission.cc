#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void add_permission(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  const json& in = call->input();
  auto s = call->env().queues.add_permission(q, string_or_empty(in, "Label"), string_list(in, "AWSAccountIds"),
                                             string_list(in, "Actions"));
  if (!s.ok()) return call->fail(s.error());
  call->succeed();
}

}  // namespace sluice::sqs
