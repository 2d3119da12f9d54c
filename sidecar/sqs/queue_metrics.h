#pragma once
// The CloudWatch SQS metrics, computed at scrape time from the queue engine's
// counts and probes:
//   sluice_sqs_approximate_number_of_messages_visible / _not_visible / _delayed
//   sluice_sqs_approximate_age_of_oldest_message_seconds
//   sluice_sqs_number_of_messages_sent_total / _received_total / _deleted_total
//   sluice_sqs_number_of_empty_receives_total
//   sluice_sqs_sent_message_size_bytes (summary: _sum and _count)
// labelled {region, account, queue}. At --metrics-level resource only the first
// --metrics-max-resources queues (in ARN order) have series of their own; the
// others are summed into queue="_other" (ages: the oldest), so totals stay right
// and a scrape stays small. At --metrics-level service, every queue of a region
// is summed into one series.

#include <memory>

#include "sidecar/metrics/metrics.h"

namespace prometheus {
class Collectable;
}
namespace sluice::queue {
class QueueService;
}

namespace sluice::sqs {

std::shared_ptr<prometheus::Collectable> make_sqs_collector(queue::QueueService& queues,
                                                            const metrics::MetricsOptions& options);

}  // namespace sluice::sqs
