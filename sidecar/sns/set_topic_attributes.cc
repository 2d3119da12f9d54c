#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void set_topic_attributes(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call);
  if (!t) return;
  const auto& in = call->input();
  sns.topics.set_topic_attribute(t, aws::string_or_empty(in, "AttributeName"),
                                 aws::string_or_empty(in, "AttributeValue"), answer(call));
}

}  // namespace sluice::sns
