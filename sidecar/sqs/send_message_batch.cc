#include "runtime/queue/attributes.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/error_map.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void send_message_batch(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  const json& entries = call->input()["Entries"];
  if (auto e = check_batch(call->env().model, entries, "SendMessageBatchRequestEntry")) return call->fail(*e);

  // The whole batch counts against the message size limit, bodies and attributes.
  size_t total = 0;
  for (const auto& e : entries) {
    total += e.value("MessageBody", "").size();
    if (auto a = e.find("MessageAttributes"); a != e.end())
      for (const auto& [name, v] : a->items())
        total += name.size() + v.value("DataType", "").size() + v.value("StringValue", "").size() +
                 v.value("BinaryValue", "").size() * 3 / 4;
  }
  if (total > queue::limits::kMaxBatchBytes) {
    const protocol::ErrorInfo* info = call->env().model.error("BatchRequestTooLong");
    return call->fail(protocol::AwsError{"BatchRequestTooLong", info->code, info->status, true,
                                         "Batch requests cannot be longer than 1048576 bytes. You have sent " +
                                             std::to_string(total) + " bytes."});
  }

  std::vector<queue::SendEntry> batch;
  std::vector<std::string> ids;
  json failed = json::array();
  for (const auto& e : entries) {
    queue::SendEntry entry;
    if (auto err = parse_send_entry(e, call->caller(), entry)) {
      failed.push_back(batch_error_entry(e["Id"], *err));
      continue;
    }
    ids.push_back(e["Id"]);
    batch.push_back(std::move(entry));
  }
  q->send(std::move(batch), [call, ids = std::move(ids), failed = std::move(failed)](
                                std::vector<queue::Result<queue::SendOutcome>> results) mutable {
    json successful = json::array();
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        json entry = render_send_outcome(*results[i]);
        entry["Id"] = ids[i];
        successful.push_back(std::move(entry));
      } else {
        failed.push_back(batch_error_entry(ids[i], to_aws_error(call->env().model, results[i].error())));
      }
    }
    call->succeed({{"Successful", std::move(successful)}, {"Failed", std::move(failed)}});
  });
}

}  // namespace sluice::sqs
