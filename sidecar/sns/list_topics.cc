#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"

namespace sluice::sns {

void list_topics(Sns& sns, const aws::CallPtr& call) {
  const auto& ctx = call->context();
  auto page = sns.topics.list_topics(ctx.region, ctx.account, aws::string_or_empty(call->input(), "NextToken"));
  if (!page) return call->fail(page.error());
  nlohmann::json topics = nlohmann::json::array();
  for (const auto& t : page->items) topics.push_back({{"TopicArn", t->arn()}});
  nlohmann::json out = {{"Topics", std::move(topics)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  call->succeed(out);
}

}  // namespace sluice::sns
