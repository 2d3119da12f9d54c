#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/wire.h"

namespace sluice::sqs {

void start_message_move_task(const SqsCallPtr& call) {
  const json& in = call->input();
  auto handle = call->env().queues.start_message_move_task(
      string_or_empty(in, "SourceArn"), string_or_empty(in, "DestinationArn"),
      optional_int(in, "MaxNumberOfMessagesPerSecond"));
  if (!handle.ok()) return call->fail(handle.error());
  call->succeed({{"TaskHandle", *handle}});
}

}  // namespace sluice::sqs
