#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void send_message(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  queue::SendEntry entry;
  if (auto e = parse_send_entry(call->input(), call->caller(), entry)) return call->fail(*e);
  q->send({std::move(entry)}, [call](std::vector<queue::Result<queue::SendOutcome>> results) {
    if (!results[0].ok()) return call->fail(results[0].error());
    call->succeed(render_send_outcome(*results[0]));
  });
}

}  // namespace sluice::sqs
