#include <cctype>
#include <set>

#include "runtime/topic/attributes.h"
#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/messages.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {
namespace {

using json = nlohmann::json;
constexpr const char* kEntries = "PublishBatchRequestEntries";

// What fails the whole request, as on SNS: no entries or too many, ids that are
// malformed or repeated, the batch over the size limit.
Status<Error> check_batch(const json& entries) {
  if (!entries.is_array() || entries.empty())
    return fail(errc::missing_argument, kEntries, "The batch request doesn't contain any entries.");
  if (entries.size() > size_t(topic::limits::kMaxBatchEntries))
    return fail(errc::limit_exceeded, kEntries, "The batch request contains more entries than permissible.");
  std::set<std::string> seen;
  size_t bytes = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string id = aws::string_or_empty(entries[i], "Id");
    const std::string field = std::string(kEntries) + "." + std::to_string(i + 1) + ".Id";
    bool valid = !id.empty() && id.size() <= topic::limits::kMaxBatchEntryIdLength;
    for (unsigned char c : id) valid = valid && (std::isalnum(c) || c == '-' || c == '_');
    if (!valid)
      return invalid(field, id, "The Id of a batch entry in a batch request doesn't abide by the specification.");
    if (!seen.insert(id).second)
      return fail(errc::already_exists, field, "Two or more batch entries in the request have the same Id.");
    bytes += publish_bytes(entries[i]);
  }
  if (bytes > topic::limits::kMaxMessageBytes)
    return fail(errc::too_large, kEntries, "The length of all the messages put together is more than the limit.");
  return {};
}

// A FIFO topic's entries need group ids (and deduplication ids unless the topic
// deduplicates by content): one missing fails the request, as on SNS.
Status<Error> check_fifo_entries(const json& entries, const topic::Topic& t) {
  const bool content_based = topic::attribute_true(t.attributes(), "ContentBasedDeduplication");
  for (const auto& e : entries) {
    if (aws::string_or_empty(e, "MessageGroupId").empty())
      return fail(errc::missing_argument, "MessageGroupId", "The MessageGroupId parameter is required for FIFO topics");
    if (!content_based && aws::string_or_empty(e, "MessageDeduplicationId").empty())
      return fail(errc::invalid_argument, "MessageDeduplicationId",
                  "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
                  "explicitly");
  }
  return {};
}

json failed_entry(const std::string& id, const protocol::AwsError& error) {
  return {{"Id", id}, {"Code", error.code}, {"Message", error.message}, {"SenderFault", error.sender}};
}

}  // namespace

void publish_batch(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call);
  if (!t) return;
  static const json kNone;
  auto it = call->input().find(kEntries);
  const json& entries = it == call->input().end() ? kNone : *it;
  if (auto s = check_batch(entries); !s) return call->fail(s.error());
  if (t->fifo())
    if (auto s = check_fifo_entries(entries, *t); !s) return call->fail(s.error());

  std::vector<topic::PublishEntry> batch;
  std::vector<std::string> ids;
  json failed = json::array();
  for (const auto& e : entries) {
    const std::string id = aws::string_or_empty(e, "Id");
    topic::PublishEntry entry;
    if (auto s = parse_publish_entry(e, call->context(), entry); !s) {
      failed.push_back(failed_entry(id, call->describe(s.error())));
      continue;
    }
    ids.push_back(id);
    batch.push_back(std::move(entry));
  }
  auto finish = [call, ids, failed](std::vector<Result<topic::PublishOutcome, Error>> results) mutable {
    json successful = json::array();
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i < results.size() && results[i]) {
        json ok = {{"Id", ids[i]}, {"MessageId", results[i]->message_id}};
        if (!results[i]->sequence_number.empty()) ok["SequenceNumber"] = results[i]->sequence_number;
        successful.push_back(std::move(ok));
      } else {
        failed.push_back(failed_entry(
            ids[i], call->describe(i < results.size() ? results[i].error()
                                                      : Error{errc::storage_failure, "", "not published", {}})));
      }
    }
    call->succeed({{"Successful", std::move(successful)}, {"Failed", std::move(failed)}});
  };
  if (batch.empty()) return finish({});
  sns.topics.publish(t, std::move(batch), std::move(finish));
}

}  // namespace sluice::sns
