#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/subscriptions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void get_subscription_attributes(Sns& sns, const aws::CallPtr& call) {
  const std::string arn = aws::string_or_empty(call->input(), "SubscriptionArn");
  if (auto s = check_subscription_arn(arn); !s) return call->fail(s.error());
  auto v = sns.topics.subscription(arn);
  if (!v) return call->fail(Error{errc::not_found, "SubscriptionArn", "Subscription does not exist", arn});
  call->succeed({{"Attributes", subscription_attributes(*v)}});
}

}  // namespace sluice::sns
