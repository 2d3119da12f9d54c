#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void list_queues(Sqs& sqs, const aws::CallPtr& call) {
  const auto& in = call->input();
  const auto& ctx = call->context();
  auto page = sqs.queues.list_queues(ctx.region, ctx.account, aws::string_or_empty(in, "QueueNamePrefix"),
                                     aws::optional_int(in, "MaxResults"), aws::string_or_empty(in, "NextToken"));
  if (!page.ok()) return call->fail(page.error());
  nlohmann::json out = nlohmann::json::object();
  if (!page->queues.empty()) {
    nlohmann::json urls = nlohmann::json::array();
    for (const auto& q : page->queues) urls.push_back(queue_url(ctx, *q));
    out["QueueUrls"] = std::move(urls);
  }
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  call->succeed(out);
}

}  // namespace sluice::sqs
