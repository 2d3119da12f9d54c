#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/subscriptions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void list_subscriptions_by_topic(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call);
  if (!t) return;
  auto page = sns.topics.list_subscriptions_by_topic(t, aws::string_or_empty(call->input(), "NextToken"));
  if (!page) return call->fail(page.error());
  call->succeed(render_subscription_page(*page));
}

}  // namespace sluice::sns
