#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/error_map.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void change_message_visibility_batch(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  const json& entries = call->input()["Entries"];
  if (auto e = check_batch(call->env().model, entries, "ChangeMessageVisibilityBatchRequestEntry"))
    return call->fail(*e);
  std::vector<std::string> ids;
  std::vector<queue::VisibilityChange> changes;
  for (const auto& e : entries) {
    ids.push_back(e["Id"]);
    changes.push_back({e.value("ReceiptHandle", ""), optional_int(e, "VisibilityTimeout").value_or(0)});
  }
  q->change_visibility(std::move(changes), [call, ids = std::move(ids)](std::vector<queue::Status> results) {
    call->succeed(render_batch_statuses(call->env().model, ids, results));
  });
}

}  // namespace sluice::sqs
