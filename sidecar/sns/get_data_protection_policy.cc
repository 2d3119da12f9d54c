#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void get_data_protection_policy(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call, "ResourceArn");
  if (!t) return;
  nlohmann::json out = nlohmann::json::object();
  if (auto policy = t->record().data_protection_policy; !policy.empty()) out["DataProtectionPolicy"] = policy;
  call->succeed(out);
}

}  // namespace sluice::sns
