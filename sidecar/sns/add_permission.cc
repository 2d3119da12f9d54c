#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void add_permission(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call);
  if (!t) return;
  const auto& in = call->input();
  sns.topics.add_permission(t, aws::string_or_empty(in, "Label"), aws::string_list(in, "AWSAccountId"),
                            aws::string_list(in, "ActionName"), answer(call));
}

}  // namespace sluice::sns
