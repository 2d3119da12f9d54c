#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/messages.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void receive_message(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  const auto& in = call->input();
  auto selection = std::make_shared<ReceiveSelection>();
  if (auto s = parse_receive_selection(in, *selection); !s) return call->fail(s.error());
  queue::ReceiveRequest req;
  req.max_messages = aws::optional_int(in, "MaxNumberOfMessages").value_or(1);
  req.visibility_timeout = aws::optional_int(in, "VisibilityTimeout");
  req.wait_seconds = aws::optional_int(in, "WaitTimeSeconds");
  req.attempt_id = aws::string_or_empty(in, "ReceiveRequestAttemptId");
  const bool fifo = q->fifo();
  q->receive(std::move(req), [call, selection, fifo](queue::Result<std::vector<queue::ReceivedMessage>> r) {
    if (!r.ok()) return call->fail(r.error());
    nlohmann::json out = nlohmann::json::object();
    if (!r->empty()) {
      nlohmann::json messages = nlohmann::json::array();
      for (const auto& m : *r) messages.push_back(render_received(m, *selection, fifo));
      out["Messages"] = std::move(messages);
    }
    call->succeed(out);
  });
}

}  // namespace sluice::sqs
