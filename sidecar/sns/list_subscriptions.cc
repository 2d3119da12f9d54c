#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/subscriptions.h"

namespace sluice::sns {

void list_subscriptions(Sns& sns, const aws::CallPtr& call) {
  const auto& ctx = call->context();
  auto page = sns.topics.list_subscriptions(ctx.region, ctx.account, aws::string_or_empty(call->input(), "NextToken"));
  if (!page) return call->fail(page.error());
  call->succeed(render_subscription_page(*page));
}

}  // namespace sluice::sns
