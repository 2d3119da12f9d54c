#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/messages.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void send_message(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  queue::SendEntry entry;
  if (auto s = parse_send_entry(call->input(), call->context(), entry); !s) return call->fail(s.error());
  q->send({std::move(entry)}, [call](std::vector<queue::Result<queue::SendOutcome>> results) {
    if (!results[0].ok()) return call->fail(results[0].error());
    call->succeed(render_send_outcome(*results[0]));
  });
}

}  // namespace sluice::sqs
