#pragma once
// The rules the three batch actions share: 1 to 10 entries with distinct ids of
// up to 80 characters [A-Za-z0-9_-]; and their answer, whose Failed entries carry
// each entry's error.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "runtime/queue/errors.h"
#include "sidecar/aws/call.h"

namespace sluice::sqs {

queue::Status check_batch(const nlohmann::json& entries, const std::string& entry_kind);
nlohmann::json batch_error_entry(const std::string& id, const protocol::AwsError& error);
// {"Successful": [{"Id"}...], "Failed": [...]} of a batch whose successes carry only
// their id (DeleteMessageBatch, ChangeMessageVisibilityBatch).
nlohmann::json render_batch_statuses(const aws::Call& call, const std::vector<std::string>& ids,
                                     const std::vector<queue::Status>& results);

}  // namespace sluice::sqs
