#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"

namespace sluice::sqs {

void start_message_move_task(Sqs& sqs, const aws::CallPtr& call) {
  const auto& in = call->input();
  auto handle = sqs.queues.start_message_move_task(aws::string_or_empty(in, "SourceArn"),
                                                   aws::string_or_empty(in, "DestinationArn"),
                                                   aws::optional_int(in, "MaxNumberOfMessagesPerSecond"));
  if (!handle.ok()) return call->fail(handle.error());
  call->succeed({{"TaskHandle", *handle}});
}

}  // namespace sluice::sqs
