#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void list_queue_tags(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  json tags = json::object();
  for (const auto& [k, v] : q->tags()) tags[k] = v;
  json out = json::object();
  if (!tags.empty()) out["Tags"] = std::move(tags);
  call->succeed(out);
}

}  // namespace sluice::sqs
