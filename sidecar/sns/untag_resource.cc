#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void untag_resource(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call, "ResourceArn");
  if (!t) return;
  sns.topics.untag(t, aws::string_list(call->input(), "TagKeys"), answer(call));
}

}  // namespace sluice::sns
