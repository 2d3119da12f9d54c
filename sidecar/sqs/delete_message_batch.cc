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
    json successful = json::array(), failed = json::array();
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        successful.push_back({{"Id", ids[i]}});
      } else {
        failed.push_back(batch_error_entry(ids[i], to_aws_error(call->env().model, results[i].error())));
      }
    }
    call->succeed({{"Successful", std::move(successful)}, {"Failed", std::move(failed)}});
  });
}

}  // namespace sluice::sqs
