#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void remove_permission(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call);
  if (!t) return;
  sns.topics.remove_permission(t, aws::string_or_empty(call->input(), "Label"), answer(call));
}

}  // namespace sluice::sns
