#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void list_dead_letter_source_queues(const SqsCallPtr& call) {
  auto q = find_queue(call);
  if (!q) return;
  const json& in = call->input();
  auto page = call->env().queues.list_dead_letter_sources(q, optional_int(in, "MaxResults"),
                                                          string_or_empty(in, "NextToken"));
  if (!page.ok()) return call->fail(page.error());
  json urls = json::array();
  for (const auto& source : page->queues) urls.push_back(queue_url(call->caller(), *source));
  json out = {{"queueUrls", std::move(urls)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  call->succeed(out);
}

}  // namespace sluice::sqs
