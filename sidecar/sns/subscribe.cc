#include <algorithm>

#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/subscriptions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void subscribe(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call);
  if (!t) return;
  const auto& in = call->input();
  std::string protocol = aws::string_or_empty(in, "Protocol");
  std::transform(protocol.begin(), protocol.end(), protocol.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  if (auto s = check_protocol(protocol); !s) return call->fail(s.error());
  topic::SubscribeRequest request;
  request.protocol = protocol;
  request.endpoint = aws::string_or_empty(in, "Endpoint");
  request.attributes = aws::string_map(in, "Attributes");
  request.owner = call->context().account;
  const bool return_arn = in.value("ReturnSubscriptionArn", false);
  sns.topics.subscribe(t, request, [call, return_arn](Result<topic::SubscriptionView, Error> v) {
    if (!v) return call->fail(v.error());
    // An HTTP/S subscription waits for its endpoint to confirm; SNS says so instead of
    // naming it, unless asked for the ARN.
    std::string arn = v->subscription ? v->subscription->arn() : v->arn;
    if (v->pending && !return_arn) arn = "pending confirmation";
    call->succeed({{"SubscriptionArn", arn}});
  });
}

}  // namespace sluice::sns
