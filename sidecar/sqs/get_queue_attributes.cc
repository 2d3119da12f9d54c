#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void get_queue_attributes(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  std::vector<std::pair<std::string, std::string>> all = queue::render_attributes(q->attributes());
  auto counts = q->counts();
  all.emplace_back("ApproximateNumberOfMessages", std::to_string(counts.visible));
  all.emplace_back("ApproximateNumberOfMessagesNotVisible", std::to_string(counts.inflight));
  all.emplace_back("ApproximateNumberOfMessagesDelayed", std::to_string(counts.delayed));
  all.emplace_back("CreatedTimestamp", std::to_string(q->created_ms() / 1000));
  all.emplace_back("LastModifiedTimestamp", std::to_string(q->modified_ms() / 1000));
  all.emplace_back("QueueArn", q->arn());

  auto names = string_list(call->input(), "AttributeNames");
  const bool everything = std::find(names.begin(), names.end(), "All") != names.end();
  json out = json::object();
  for (const auto& name : names) {
    if (name == "All") continue;
    auto known = std::find_if(all.begin(), all.end(), [&](auto& p) { return p.first == name; });
    if (known != all.end()) continue;
    // A real attribute that is unset on this queue (a policy, a FIFO setting) is
    // simply not returned; anything else is an error.
    if (!queue::find_attribute(name))
      return call->fail(protocol::AwsError{"InvalidAttributeName", "InvalidAttributeName", 400, true,
                                           "Unknown Attribute " + name + "."});
  }
  json attrs = json::object();
  for (const auto& [name, value] : all)
    if (everything || std::find(names.begin(), names.end(), name) != names.end()) attrs[name] = value;
  if (!attrs.empty()) out["Attributes"] = std::move(attrs);
  call->succeed(out);
}

}  // namespace sluice::sqs
