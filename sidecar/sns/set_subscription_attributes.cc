#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void set_subscription_attributes(Sns& sns, const aws::CallPtr& call) {
  const auto& in = call->input();
  const std::string arn = aws::string_or_empty(in, "SubscriptionArn");
  if (auto s = check_subscription_arn(arn); !s) return call->fail(s.error());
  sns.topics.set_subscription_attribute(arn, aws::string_or_empty(in, "AttributeName"),
                                        aws::string_or_empty(in, "AttributeValue"), answer(call));
}

}  // namespace sluice::sns
