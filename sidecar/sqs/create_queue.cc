#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void create_queue(const SqsCallPtr& call) {
  const json& in = call->input();
  auto q = call->env().queues.create_queue(call->caller().account, string_or_empty(in, "QueueName"),
                                           string_map(in, "Attributes"), string_map(in, "tags"));
  if (!q.ok()) return call->fail(q.error());
  call->succeed({{"QueueUrl", queue_url(call->caller(), **q)}});
}

}  // namespace sluice::sqs
