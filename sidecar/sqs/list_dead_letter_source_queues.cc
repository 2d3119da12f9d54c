#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void list_dead_letter_source_queues(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  const auto& in = call->input();
  auto page = sqs.queues.list_dead_letter_sources(q, aws::optional_int(in, "MaxResults"),
                                                  aws::string_or_empty(in, "NextToken"));
  if (!page.ok()) return call->fail(page.error());
  nlohmann::json urls = nlohmann::json::array();
  for (const auto& source : page->queues) urls.push_back(queue_url(call->context(), *source));
  nlohmann::json out = {{"queueUrls", std::move(urls)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  call->succeed(out);
}

}  // namespace sluice::sqs
