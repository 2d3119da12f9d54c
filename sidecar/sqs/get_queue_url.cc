#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void get_queue_url(Sqs& sqs, const aws::CallPtr& call) {
  const auto& in = call->input();
  const auto& ctx = call->context();
  std::string account = aws::string_or_empty(in, "QueueOwnerAWSAccountId");
  if (account.empty()) account = ctx.account;
  auto q = sqs.queues.find(ctx.region, account, aws::string_or_empty(in, "QueueName"));
  if (!q) return call->fail(queue::no_such_queue("QueueName").error);
  call->succeed({{"QueueUrl", queue_url(ctx, *q)}});
}

}  // namespace sluice::sqs
