#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void receive_message(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  const json& in = call->input();
  auto selection = std::make_shared<ReceiveSelection>();
  if (auto e = parse_receive_selection(in, *selection)) return call->fail(*e);
  queue::ReceiveRequest req;
  req.max_messages = optional_int(in, "MaxNumberOfMessages").value_or(1);
  req.visibility_timeout = optional_int(in, "VisibilityTimeout");
  req.wait_seconds = optional_int(in, "WaitTimeSeconds");
  req.attempt_id = string_or_empty(in, "ReceiveRequestAttemptId");
  const bool fifo = q->fifo();
  q->receive(std::move(req), [call, selection, fifo](queue::Result<std::vector<queue::ReceivedMessage>> r) {
    if (!r.ok()) return call->fail(r.error());
    json out = json::object();
    if (!r->empty()) {
      json messages = json::array();
      for (const auto& m : *r) messages.push_back(render_received(m, *selection, fifo));
      out["Messages"] = std::move(messages);
    }
    call->succeed(out);
  });
}

}  // namespace sluice::sqs
