#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void put_data_protection_policy(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call, "ResourceArn");
  if (!t) return;
  sns.topics.put_data_protection_policy(t, aws::string_or_empty(call->input(), "DataProtectionPolicy"), answer(call));
}

}  // namespace sluice::sns
