#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void list_queue_tags(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  nlohmann::json tags = nlohmann::json::object();
  for (const auto& [k, v] : q->tags()) tags[k] = v;
  nlohmann::json out = nlohmann::json::object();
  if (!tags.empty()) out["Tags"] = std::move(tags);
  call->succeed(out);
}

}  // namespace sluice::sqs
