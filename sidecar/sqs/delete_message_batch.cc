#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/error_map.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void delete_message_batch(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  const json& entries = call->input()["Entries"];
  if (auto e = check_batch(call->env().model, entries, "DeleteMessageBatchRequestEntry")) return call->fail(*e);
  std::vector<std::string> ids, handles;
  for (const auto& e : entries) {
    ids.push_back(e["Id"]);
    handles.push_back(e.value("ReceiptHandle", ""));
  }
  q->delete_messages(std::move(handles), [call, ids = std::move(ids)](std::vector<queue::Status> results) {
    call->succeed(render_batch_statuses(call->env().model, ids, results));
  });
}

}  // namespace sluice::sqs
