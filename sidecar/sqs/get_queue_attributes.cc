#include <algorithm>

#include "runtime/queue/attributes.h"
#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void get_queue_attributes(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  std::vector<std::pair<std::string, std::string>> all = queue::render_attributes(q->attributes());
  auto counts = q->counts();
  all.emplace_back("ApproximateNumberOfMessages", std::to_string(counts.visible));
  all.emplace_back("ApproximateNumberOfMessagesNotVisible", std::to_string(counts.inflight));
  all.emplace_back("ApproximateNumberOfMessagesDelayed", std::to_string(counts.delayed));
  all.emplace_back("CreatedTimestamp", std::to_string(q->created_ms() / 1000));
  all.emplace_back("LastModifiedTimestamp", std::to_string(q->modified_ms() / 1000));
  all.emplace_back("QueueArn", q->arn());

  auto names = aws::string_list(call->input(), "AttributeNames");
  const bool everything = std::find(names.begin(), names.end(), "All") != names.end();
  for (const auto& name : names) {
    if (name == "All") continue;
    if (std::find_if(all.begin(), all.end(), [&](auto& p) { return p.first == name; }) != all.end()) continue;
    // A real attribute that is unset on this queue (a policy, a FIFO setting) is
    // simply not returned; anything else is an error.
    if (!queue::find_attribute(name))
      return call->fail(fail(errc::not_found, "AttributeNames", "Unknown Attribute " + name + ".").error);
  }
  nlohmann::json attrs = nlohmann::json::object();
  for (const auto& [name, value] : all)
    if (everything || std::find(names.begin(), names.end(), name) != names.end()) attrs[name] = value;
  nlohmann::json out = nlohmann::json::object();
  if (!attrs.empty()) out["Attributes"] = std::move(attrs);
  call->succeed(out);
}

}  // namespace sluice::sqs
