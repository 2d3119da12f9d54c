#include "sidecar/sns/actions.h"

namespace sluice::sns {

// Sluice's topics deliver to SQS queues and HTTP/S endpoints; it sends no SMS and
// no mobile push, so these operations are refused as SNS refuses what it cannot do.
void not_supported(Sns&, const aws::CallPtr& call) {
  call->fail(Error{errc::unsupported, "",
                   call->operation().name +
                       " is not supported by Sluice: it serves topics with SQS and HTTP/S subscriptions, not SMS, "
                       "mobile push (platform applications and endpoints) or phone numbers.",
                   std::nullopt});
}

}  // namespace sluice::sns
