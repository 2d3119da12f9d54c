#pragma once
// The CloudWatch SQS metrics of every queue, computed at scrape time from the
// queue engine's counts and probes:
//   sluice_sqs_approximate_number_of_messages_visible / _not_visible / _delayed
//   sluice_sqs_approximate_age_of_oldest_message_seconds
//   sluice_sqs_number_of_messages_sent_total / _received_total / _deleted_total
//   sluice_sqs_number_of_empty_receives_total
//   sluice_sqs_sent_message_size_bytes (summary: _sum and _count)
// all labelled {account, queue}.

#include <memory>

namespace prometheus {
class Collectable;
}
namespace sluice::queue {
class QueueService;
}

namespace sluice::metrics {

std::shared_ptr<prometheus::Collectable> make_sqs_collector(queue::QueueService& queues);

}  // namespace sluice::metrics
