#pragma once
// Pieces shared by the SQS handlers: finding the queue a request names,
// translating messages and their attributes between the wire tree and the
// engine, and the rules every batch action applies to its entries.

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>

#include "runtime/queue/queue.h"
#include "sidecar/sqs/call.h"

namespace sluice::sqs {

using json = nlohmann::json;

// The queue named by the request's QueueUrl. On failure, answers the call with
// AWS's error and returns null.
queue::QueuePtr find_queue(const SqsCallPtr& call);

// http://<request host>/<account>/<name>
std::string queue_url(const Caller& caller, const queue::Queue& q);

std::optional<int> optional_int(const json& input, const char* name);
std::string string_or_empty(const json& input, const char* name);
std::vector<std::string> string_list(const json& input, const char* name);
std::vector<std::pair<std::string, std::string>> string_map(const json& input, const char* name);

// A SendMessage request or SendMessageBatch entry, as the engine takes it.
std::optional<protocol::AwsError> parse_send_entry(const json& in, const Caller& caller, queue::SendEntry& out);
json render_send_outcome(const queue::SendOutcome& outcome);

// Which attributes a ReceiveMessage asked for.
struct ReceiveSelection {
  bool all_system = false;
  std::set<std::string> system;
  bool all_user = false;
  std::set<std::string> user;           // exact names
  std::vector<std::string> user_prefixes;  // "prefix.*"
};
std::optional<protocol::AwsError> parse_receive_selection(const json& in, ReceiveSelection& out);
json render_received(const queue::ReceivedMessage& m, const ReceiveSelection& selection, bool fifo);

// Batch rules shared by the three batch actions: 1..10 entries, distinct ids of
// up to 80 characters [A-Za-z0-9_-].
std::optional<protocol::AwsError> check_batch(const protocol::ServiceModel& model, const json& entries,
                                              const std::string& entry_kind);
json batch_error_entry(const std::string& id, const protocol::AwsError& error);
// {"Successful": [{"Id"}...], "Failed": [...]} of a batch whose successes carry only their id
// (DeleteMessageBatch, ChangeMessageVisibilityBatch).
json render_batch_statuses(const protocol::ServiceModel& model, const std::vector<std::string>& ids,
                           const std::vector<queue::Status>& results);

}  // namespace sluice::sqs
