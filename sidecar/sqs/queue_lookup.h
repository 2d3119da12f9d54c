#pragma once
// Which queue a request names, and the URL a response gives for a queue.
//
// A QueueUrl resolves as AWS resolves it: only its path matters
// (http(s)://<any host>/<account>/<name>), and a bare queue name means the
// caller's own account; the region is the request's.

#include "runtime/queue/queue.h"
#include "sidecar/sqs/sqs_service.h"

namespace sluice::sqs {

// The queue named by the request's QueueUrl. On failure, answers the call with
// the engine's error and returns null.
queue::QueuePtr find_queue(Sqs& sqs, const aws::CallPtr& call);

// http://<request host>/<account>/<name>
std::string queue_url(const aws::RequestContext& context, const queue::Queue& q);

// The region, account and name a QueueUrl names, or nullopt if it is not one.
std::optional<queue::QueueKey> parse_queue_url(std::string_view url, const aws::RequestContext& context);

}  // namespace sluice::sqs
