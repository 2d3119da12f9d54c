#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

// Also reached by the UnsubscribeURL of every message an HTTP/S endpoint gets:
// an unsigned GET, refused for a subscription confirmed with
// AuthenticateOnUnsubscribe=true, as on SNS. Unsubscribing what is gone already
// succeeds.
void unsubscribe(Sns& sns, const aws::CallPtr& call) {
  const std::string arn = aws::string_or_empty(call->input(), "SubscriptionArn");
  if (auto s = check_subscription_arn(arn); !s) return call->fail(s.error());
  if (call->context().access_key.empty())
    if (auto v = sns.topics.subscription(arn); v && v->authenticated)
      return call->fail(
          Error{errc::state_conflict, "SubscriptionArn",
                "This subscription was confirmed with AuthenticateOnUnsubscribe: unsubscribing it takes a "
                "signed request.",
                arn});
  sns.topics.unsubscribe(arn, [call](Status<Error> s) {
    if (!s.ok() && s.error().code != errc::not_found) return call->fail(s.error());
    call->succeed();
  });
}

}  // namespace sluice::sns
