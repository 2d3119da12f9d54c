#pragma once
// Messages between the wire tree and the engine: a SendMessage request (or a
// SendMessageBatch entry) as a queue::SendEntry, the answer to a send, which
// attributes a ReceiveMessage asked for, and a received message as the wire
// returns it, with digests that cover exactly what is returned.

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "runtime/queue/queue.h"
#include "sidecar/aws/call.h"

namespace sluice::sqs {

// A send entry; the request's X-Amzn-Trace-Id becomes its AWSTraceHeader unless
// the entry names one itself.
queue::Status parse_send_entry(const nlohmann::json& in, const aws::RequestContext& context, queue::SendEntry& out);
nlohmann::json render_send_outcome(const queue::SendOutcome& outcome);

// Which attributes a ReceiveMessage asked for.
struct ReceiveSelection {
  bool all_system = false;
  std::set<std::string> system;
  bool all_user = false;
  std::set<std::string> user;              // exact names
  std::vector<std::string> user_prefixes;  // "prefix.*"
};
queue::Status parse_receive_selection(const nlohmann::json& in, ReceiveSelection& out);
nlohmann::json render_received(const queue::ReceivedMessage& m, const ReceiveSelection& selection, bool fifo);

}  // namespace sluice::sqs
