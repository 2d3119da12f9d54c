#include "sidecar/kinesis/stream_metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <algorithm>
#include <map>

#include "runtime/stream/stream_service.h"

namespace sluice::kinesis {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

struct Sample {
  double in_bytes = 0, in_records = 0, get_bytes = 0, get_records = 0, get_calls = 0, age_ms = 0, write_exceeded = 0,
         read_exceeded = 0;
  void add(const Sample& o) {
    in_bytes += o.in_bytes;
    in_records += o.in_records;
    get_bytes += o.get_bytes;
    get_records += o.get_records;
    get_calls += o.get_calls;
    age_ms = std::max(age_ms, o.age_ms);
    write_exceeded += o.write_exceeded;
    read_exceeded += o.read_exceeded;
  }
};

void add_metric(MetricFamily& f, const Labels& labels, double v) {
  ClientMetric m;
  m.label = labels;
  if (f.type == MetricType::Gauge) m.gauge.value = v;
  else m.counter.value = v;
  f.metric.push_back(std::move(m));
}

class KinesisCollector final : public prometheus::Collectable {
 public:
  KinesisCollector(stream::StreamService& streams, metrics::MetricsOptions options)
      : streams_(streams), options_(options) {}

  std::vector<MetricFamily> Collect() const override {
    std::map<Labels, Sample> series;
    std::vector<std::pair<Labels, std::pair<double, double>>> shard_series;
    size_t own = 0;
    for (const auto& s : streams_.all()) {  // in ARN order
      const auto& key = s->key();
      auto& c = s->counters();
      Sample sample{double(c.incoming_bytes.load()),    double(c.incoming_records.load()),
                    double(c.get_records_bytes.load()), double(c.get_records_records.load()),
                    double(c.get_records_calls.load()), double(c.iterator_age_ms.load()),
                    double(c.put_throttled.load()),     double(c.read_throttled.load())};
      Labels labels;
      if (options_.level == metrics::Level::service) labels = {{"region", key.region}};
      else if (own++ < options_.max_resources)
        labels = {{"region", key.region}, {"account", key.account}, {"stream", key.name}};
      else labels = {{"region", key.region}, {"account", "_other"}, {"stream", "_other"}};
      series[labels].add(sample);
      if (options_.level == metrics::Level::shard && own <= options_.max_resources)
        for (const auto& shard : s->shards()) {
          Labels sl = labels;
          sl.push_back({"shard", stream::shard_id(shard->record.index)});
          shard_series.push_back({sl, {double(shard->total_bytes_in.load()), double(shard->total_records_in.load())}});
        }
    }
    auto fam = [](const char* name, const char* help, MetricType type) { return MetricFamily{name, help, type, {}}; };
    MetricFamily in_bytes =
        fam("sluice_kinesis_incoming_bytes_total", "Bytes put to the stream (IncomingBytes).", MetricType::Counter);
    MetricFamily in_records = fam("sluice_kinesis_incoming_records_total",
                                  "Records put to the stream (IncomingRecords).", MetricType::Counter);
    MetricFamily get_bytes = fam("sluice_kinesis_get_records_bytes_total",
                                 "Bytes returned by GetRecords (GetRecords.Bytes).", MetricType::Counter);
    MetricFamily get_records = fam("sluice_kinesis_get_records_records_total",
                                   "Records returned by GetRecords (GetRecords.Records).", MetricType::Counter);
    MetricFamily get_calls = fam("sluice_kinesis_get_records_success_total",
                                 "GetRecords calls that succeeded (GetRecords.Success).", MetricType::Counter);
    MetricFamily age =
        fam("sluice_kinesis_get_records_iterator_age_milliseconds",
            "Age of the last record a GetRecords returned (GetRecords.IteratorAgeMilliseconds).", MetricType::Gauge);
    MetricFamily write_exceeded =
        fam("sluice_kinesis_write_provisioned_throughput_exceeded_total",
            "Records refused over a shard's write limit (WriteProvisionedThroughputExceeded).", MetricType::Counter);
    MetricFamily read_exceeded = fam(
        "sluice_kinesis_read_provisioned_throughput_exceeded_total",
        "GetRecords calls refused over a shard's read limit (ReadProvisionedThroughputExceeded).", MetricType::Counter);
    for (const auto& [labels, s] : series) {
      add_metric(in_bytes, labels, s.in_bytes);
      add_metric(in_records, labels, s.in_records);
      add_metric(get_bytes, labels, s.get_bytes);
      add_metric(get_records, labels, s.get_records);
      add_metric(get_calls, labels, s.get_calls);
      add_metric(age, labels, s.age_ms);
      add_metric(write_exceeded, labels, s.write_exceeded);
      add_metric(read_exceeded, labels, s.read_exceeded);
    }
    std::vector<MetricFamily> out = {in_bytes,  in_records, get_bytes,      get_records,
                                     get_calls, age,        write_exceeded, read_exceeded};
    if (!shard_series.empty()) {
      MetricFamily sb = fam("sluice_kinesis_shard_incoming_bytes_total", "Bytes put to the shard (IncomingBytes).",
                            MetricType::Counter);
      MetricFamily sr = fam("sluice_kinesis_shard_incoming_records_total",
                            "Records put to the shard (IncomingRecords).", MetricType::Counter);
      for (const auto& [labels, v] : shard_series) {
        add_metric(sb, labels, v.first);
        add_metric(sr, labels, v.second);
      }
      out.push_back(std::move(sb));
      out.push_back(std::move(sr));
    }
    return out;
  }

 private:
  stream::StreamService& streams_;
  metrics::MetricsOptions options_;
};

}  // namespace

std::shared_ptr<prometheus::Collectable> make_kinesis_collector(stream::StreamService& streams,
                                                                const metrics::MetricsOptions& options) {
  return std::make_shared<KinesisCollector>(streams, options);
}

}  // namespace sluice::kinesis
