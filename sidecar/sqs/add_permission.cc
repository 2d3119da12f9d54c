#include "sidecar/aws/params.h"
#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/queue_lookup.h"

namespace sluice::sqs {

void add_permission(Sqs& sqs, const aws::CallPtr& call) {
  auto q = find_queue(sqs, call);
  if (!q) return;
  const auto& in = call->input();
  sqs.queues.add_permission(q, aws::string_or_empty(in, "Label"), aws::string_list(in, "AWSAccountIds"),
                            aws::string_list(in, "Actions"), answer(call));
}

}  // namespace sluice::sqs
