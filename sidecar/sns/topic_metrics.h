#pragma once
// The CloudWatch SNS metrics, computed at scrape time from the topic engine's
// probes:
//   per topic {region, account, topic}:
//     sluice_sns_number_of_messages_published_total, sluice_sns_publish_size_bytes_total
//   per subscription {region, account, topic, subscription (its id), protocol}:
//     sluice_sns_number_of_notifications_delivered_total / _failed_total / _filtered_out_total
//     / _filtered_out_no_message_attributes_total / _filtered_out_invalid_attributes_total
//     / _filtered_out_invalid_message_body_total, sluice_sns_number_of_notifications_dead_lettered_total,
//     sluice_sns_delivery_lag_seconds (age of the oldest message not yet delivered)
// At --metrics-level resource only the first --metrics-max-resources topics and
// subscriptions (in ARN order) have series of their own; the others are summed
// into "_other" (lag: the largest), so totals stay right and a scrape stays
// small. At --metrics-level service, everything of a region is one series (per
// protocol, for subscriptions).

#include <memory>

#include "sidecar/metrics/metrics.h"

namespace prometheus {
class Collectable;
}
namespace sluice::topic {
class TopicService;
}

namespace sluice::sns {

std::shared_ptr<prometheus::Collectable> make_sns_collector(topic::TopicService& topics,
                                                            const metrics::MetricsOptions& options);

}  // namespace sluice::sns
