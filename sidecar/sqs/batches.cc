#include "sidecar/sqs/batches.h"

#include <cctype>
#include <set>

#include "runtime/queue/attributes.h"
#include "sidecar/aws/params.h"

namespace sluice::sqs {

using json = nlohmann::json;

queue::Status check_batch(const json& entries, const std::string& entry_kind) {
  if (!entries.is_array() || entries.empty())
    return fail(errc::missing_argument, "Entries", "There should be at least one " + entry_kind + " in the request.");
  if (entries.size() > size_t(queue::limits::kMaxBatchEntries))
    return fail(errc::limit_exceeded, "Entries",
                "Maximum number of entries per request are " + std::to_string(queue::limits::kMaxBatchEntries) +
                    ". You have sent " + std::to_string(entries.size()) + ".");
  std::set<std::string> seen;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string id = aws::string_or_empty(entries[i], "Id");
    const std::string field = "Entries." + std::to_string(i + 1) + ".Id";
    bool valid = !id.empty() && id.size() <= queue::limits::kMaxBatchEntryIdLength;
    for (unsigned char c : id) valid &= std::isalnum(c) || c == '-' || c == '_';
    if (!valid)
      return fail(errc::invalid_argument, field,
                  "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at "
                  "most 80 letters long.");
    if (!seen.insert(id).second) return fail(errc::already_exists, field, "Id " + id + " repeated.");
  }
  return {};
}

json batch_error_entry(const std::string& id, const protocol::AwsError& error) {
  return {{"Id", id}, {"SenderFault", error.sender}, {"Code", error.code}, {"Message", error.message}};
}

json render_batch_statuses(const aws::Call& call, const std::vector<std::string>& ids,
                           const std::vector<queue::Status>& results) {
  json successful = json::array(), failed = json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok()) {
      successful.push_back({{"Id", ids[i]}});
    } else {
      failed.push_back(batch_error_entry(ids[i], call.describe(results[i].error())));
    }
  }
  return {{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
}

}  // namespace sluice::sqs
