#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"

namespace sluice::sqs {

void cancel_message_move_task(Sqs& sqs, const aws::CallPtr& call) {
  auto moved = sqs.queues.cancel_message_move_task(aws::string_or_empty(call->input(), "TaskHandle"));
  if (!moved.ok()) return call->fail(moved.error());
  call->succeed({{"ApproximateNumberOfMessagesMoved", *moved}});
}

}  // namespace sluice::sqs
