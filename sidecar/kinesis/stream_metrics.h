#pragma once
// The CloudWatch Kinesis metrics, computed at scrape time from the engine's
// counters:
//   per stream {region, account, stream}:
//     sluice_kinesis_incoming_bytes_total, sluice_kinesis_incoming_records_total,
//     sluice_kinesis_get_records_bytes_total, sluice_kinesis_get_records_records_total,
//     sluice_kinesis_get_records_success_total, sluice_kinesis_get_records_iterator_age_milliseconds,
//     sluice_kinesis_write_provisioned_throughput_exceeded_total,
//     sluice_kinesis_read_provisioned_throughput_exceeded_total
//   per shard {…, shard} at --metrics-level shard: incoming bytes and records.
// PutRecord(s) and GetRecords latency and success counts are the endpoint's
// per-action series (sluice_requests_total and sluice_request_duration_seconds{service="kinesis",…}).
// At --metrics-level resource only the first --metrics-max-resources streams
// (in ARN order) have series of their own; the others are summed into "_other".

#include <memory>

#include "sidecar/metrics/metrics.h"

namespace prometheus {
class Collectable;
}
namespace sluice::stream {
class StreamService;
}

namespace sluice::kinesis {

std::shared_ptr<prometheus::Collectable> make_kinesis_collector(stream::StreamService& streams,
                                                                const metrics::MetricsOptions& options);

}  // namespace sluice::kinesis
