#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void get_queue_url(const SqsCallPtr& call) {
  const json& in = call->input();
  std::string account = string_or_empty(in, "QueueOwnerAWSAccountId");
  if (account.empty()) account = call->caller().account;
  auto q = call->env().queues.find(account, string_or_empty(in, "QueueName"));
  if (!q) return call->fail(queue::Error{queue::errc::queue_does_not_exist, "The specified queue does not exist."});
  call->succeed({{"QueueUrl", queue_url(call->caller(), *q)}});
}

}  // namespace sluice::sqs
