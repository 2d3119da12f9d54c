#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void create_queue(Sqs& sqs, const aws::CallPtr& call) {
  const auto& in = call->input();
  const auto& ctx = call->context();
  sqs.queues.create_queue({ctx.region, ctx.account, aws::string_or_empty(in, "QueueName")},
                          aws::string_map(in, "Attributes"), aws::string_map(in, "tags"),
                          [call](queue::Result<queue::QueuePtr> q) {
                            if (!q.ok()) return call->fail(q.error());
                            call->succeed({{"QueueUrl", queue_url(call->context(), **q)}});
                          });
}

}  // namespace sluice::sqs
