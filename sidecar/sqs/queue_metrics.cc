#include "sidecar/sqs/queue_metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <map>

#include "runtime/queue/queue_service.h"

namespace sluice::sqs {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

struct Sample {
  double visible = 0, inflight = 0, delayed = 0, age_s = 0;
  double sent = 0, received = 0, deleted = 0, empty = 0, bytes = 0;
  void add(const Sample& o) {
    visible += o.visible;
    inflight += o.inflight;
    delayed += o.delayed;
    age_s = std::max(age_s, o.age_s);
    sent += o.sent;
    received += o.received;
    deleted += o.deleted;
    empty += o.empty;
    bytes += o.bytes;
  }
};

using Labels = std::vector<ClientMetric::Label>;

class SqsCollector final : public prometheus::Collectable {
 public:
  SqsCollector(queue::QueueService& queues, metrics::MetricsOptions options) : queues_(queues), options_(options) {}

  std::vector<MetricFamily> Collect() const override {
    const double now_s = double(clock_.now()) / 1000.0;
    std::map<Labels, Sample> series;
    size_t own = 0;
    for (const auto& q : queues_.all()) {
      const auto& id = q->identity();
      auto c = q->counts();
      auto& probe = q->probe();
      Sample s;
      s.visible = double(c.visible);
      s.inflight = double(c.inflight);
      s.delayed = double(c.delayed);
      s.age_s = c.oldest_sent_ms ? std::max(0.0, now_s - double(c.oldest_sent_ms) / 1000.0) : 0.0;
      s.sent = double(probe.messages_sent.load());
      s.received = double(probe.messages_received.load());
      s.deleted = double(probe.messages_deleted.load());
      s.empty = double(probe.empty_receives.load());
      s.bytes = double(probe.sent_bytes.load());
      Labels labels;
      if (options_.level == metrics::Level::service) {
        labels = {{"region", id.region}};
      } else if (own < options_.max_resources) {
        labels = {{"region", id.region}, {"account", id.account}, {"queue", id.name}};
        ++own;
      } else {
        labels = {{"region", id.region}, {"account", "_other"}, {"queue", "_other"}};
      }
      series[labels].add(s);
    }
    MetricFamily visible{"sluice_sqs_approximate_number_of_messages_visible",
                         "Messages available for retrieval (ApproximateNumberOfMessagesVisible).",
                         MetricType::Gauge,
                         {}};
    MetricFamily not_visible{"sluice_sqs_approximate_number_of_messages_not_visible",
                             "Messages in flight: received, not yet deleted or expired.",
                             MetricType::Gauge,
                             {}};
    MetricFamily delayed{"sluice_sqs_approximate_number_of_messages_delayed",
                         "Messages delayed and not yet available.",
                         MetricType::Gauge,
                         {}};
    MetricFamily age{"sluice_sqs_approximate_age_of_oldest_message_seconds",
                     "Age of the oldest message in the queue.",
                     MetricType::Gauge,
                     {}};
    MetricFamily sent{
        "sluice_sqs_number_of_messages_sent_total", "Messages added to the queue.", MetricType::Counter, {}};
    MetricFamily received{"sluice_sqs_number_of_messages_received_total",
                          "Messages returned by ReceiveMessage.",
                          MetricType::Counter,
                          {}};
    MetricFamily deleted{"sluice_sqs_number_of_messages_deleted_total", "Messages deleted.", MetricType::Counter, {}};
    MetricFamily empty{"sluice_sqs_number_of_empty_receives_total",
                       "ReceiveMessage calls that returned nothing.",
                       MetricType::Counter,
                       {}};
    MetricFamily size{
        "sluice_sqs_sent_message_size_bytes", "Size of messages added to the queue.", MetricType::Summary, {}};
    for (const auto& [labels, s] : series) {
      auto gauge = [&](MetricFamily& f, double v) {
        ClientMetric m;
        m.label = labels;
        m.gauge.value = v;
        f.metric.push_back(std::move(m));
      };
      auto counter = [&](MetricFamily& f, double v) {
        ClientMetric m;
        m.label = labels;
        m.counter.value = v;
        f.metric.push_back(std::move(m));
      };
      gauge(visible, s.visible);
      gauge(not_visible, s.inflight);
      gauge(delayed, s.delayed);
      gauge(age, s.age_s);
      counter(sent, s.sent);
      counter(received, s.received);
      counter(deleted, s.deleted);
      counter(empty, s.empty);
      ClientMetric m;
      m.label = labels;
      m.summary.sample_count = uint64_t(s.sent);
      m.summary.sample_sum = s.bytes;
      size.metric.push_back(std::move(m));
    }
    return {visible, not_visible, delayed, age, sent, received, deleted, empty, size};
  }

 private:
  queue::QueueService& queues_;
  metrics::MetricsOptions options_;
  SystemClock clock_;
};

}  // namespace

std::shared_ptr<prometheus::Collectable> make_sqs_collector(queue::QueueService& queues,
                                                            const metrics::MetricsOptions& options) {
  return std::make_shared<SqsCollector>(queues, options);
}

}  // namespace sluice::sqs
