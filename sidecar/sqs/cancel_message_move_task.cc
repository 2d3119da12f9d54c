#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void cancel_message_move_task(const SqsCallPtr& call) {
  auto moved = call->env().queues.cancel_message_move_task(string_or_empty(call->input(), "TaskHandle"));
  if (!moved.ok()) return call->fail(moved.error());
  call->succeed({{"ApproximateNumberOfMessagesMoved", *moved}});
}

}  // namespace sluice::sqs
