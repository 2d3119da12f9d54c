#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

// Also reached by the SubscribeURL an HTTP/S endpoint is sent: an unsigned GET,
// whose topic (and its region) the ARN names.
void confirm_subscription(Sns& sns, const aws::CallPtr& call) {
  const auto& in = call->input();
  auto key = parse_topic_arn(aws::string_or_empty(in, "TopicArn"), "TopicArn");
  if (!key) return call->fail(key.error());
  const bool authenticated = aws::string_or_empty(in, "AuthenticateOnUnsubscribe") == "true";
  sns.topics.confirm(key->arn(), aws::string_or_empty(in, "Token"), authenticated,
                     [call](Result<topic::SubscriptionView, Error> v) {
                       if (!v) return call->fail(v.error());
                       call->succeed({{"SubscriptionArn", v->subscription ? v->subscription->arn() : v->arn}});
                     });
}

}  // namespace sluice::sns
