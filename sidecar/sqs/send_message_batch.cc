#include "runtime/queue/attributes.h"
#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/batches.h"
#include "sidecar/sqs/messages.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {
namespace {

using json = nlohmann::json;

// The whole batch counts against the message size limit, bodies and attributes.
size_t batch_bytes(const json& entries) {
  size_t total = 0;
  for (const auto& e : entries) {
    total += aws::string_or_empty(e, "MessageBody").size();
    if (auto a = e.find("MessageAttributes"); a != e.end() && a->is_object())
      for (const auto& [name, v] : a->items())
        total += name.size() + aws::string_or_empty(v, "DataType").size() +
                 aws::string_or_empty(v, "StringValue").size() + aws::string_or_empty(v, "BinaryValue").size() * 3 / 4;
  }
  return total;
}

// On a FIFO queue an entry without a group id, or without a deduplication id when
// the queue does not deduplicate by content, fails the whole request, as on AWS.
queue::Status check_fifo_entries(const json& entries, const queue::Queue& q) {
  const bool content_dedup = q.attributes().content_based_deduplication;
  for (const auto& e : entries) {
    if (!e.contains("MessageGroupId")) return queue::missing("MessageGroupId");
    if (!content_dedup && !e.contains("MessageDeduplicationId"))
      return fail(errc::invalid_argument, "MessageDeduplicationId",
                  "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
                  "explicitly");
  }
  return {};
}

}  // namespace

void send_message_batch(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  const json& entries = call->input()["Entries"];
  if (auto s = check_batch(entries, "SendMessageBatchRequestEntry"); !s) return call->fail(s.error());
  if (size_t total = batch_bytes(entries); total > queue::limits::kMaxBatchBytes)
    return call->fail(fail(errc::too_large, "Entries",
                           "Batch requests cannot be longer than " + std::to_string(queue::limits::kMaxBatchBytes) +
                               " bytes. You have sent " + std::to_string(total) + " bytes.")
                          .error);
  if (q->fifo())
    if (auto s = check_fifo_entries(entries, *q); !s) return call->fail(s.error());

  std::vector<queue::SendEntry> batch;
  std::vector<std::string> ids;
  json failed = json::array();
  for (const auto& e : entries) {
    queue::SendEntry entry;
    const std::string id = aws::string_or_empty(e, "Id");
    if (auto s = parse_send_entry(e, call->context(), entry); !s) {
      failed.push_back(batch_error_entry(id, call->describe(s.error())));
      continue;
    }
    ids.push_back(id);
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
        failed.push_back(batch_error_entry(ids[i], call->describe(results[i].error())));
      }
    }
    call->succeed({{"Successful", std::move(successful)}, {"Failed", std::move(failed)}});
  });
}

}  // namespace sluice::sqs
