#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void list_queues(const SqsCallPtr& call) {
  const json& in = call->input();
  auto page = call->env().queues.list_queues(call->caller().account, string_or_empty(in, "QueueNamePrefix"),
                                             optional_int(in, "MaxResults"), string_or_empty(in, "NextToken"));
  if (!page.ok()) return call->fail(page.error());
  json out = json::object();
  if (!page->queues.empty()) {
    json urls = json::array();
    for (const auto& q : page->queues) urls.push_back(queue_url(call->caller(), *q));
    out["QueueUrls"] = std::move(urls);
  }
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  call->succeed(out);
}

}  // namespace sluice::sqs
