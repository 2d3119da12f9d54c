#include "sidecar/metrics/sqs_metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "runtime/queue/queue_service.h"

namespace sluice::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

class SqsCollector final : public prometheus::Collectable {
 public:
  explicit SqsCollector(queue::QueueService& queues) : queues_(queues) {}

  std::vector<MetricFamily> Collect() const override {
    MetricFamily visible{"sluice_sqs_approximate_number_of_messages_visible",
                         "Messages available for retrieval (ApproximateNumberOfMessagesVisible).",
                         MetricType::Gauge, {}};
    MetricFamily not_visible{"sluice_sqs_approximate_number_of_messages_not_visible",
                             "Messages in flight: received, not yet deleted or expired.", MetricType::Gauge, {}};
    MetricFamily delayed{"sluice_sqs_approximate_number_of_messages_delayed",
                         "Messages delayed and not yet available.", MetricType::Gauge, {}};
    MetricFamily age{"sluice_sqs_approximate_age_of_oldest_message_seconds",
                     "Age of the oldest message in the queue.", MetricType::Gauge, {}};
    MetricFamily sent{"sluice_sqs_number_of_messages_sent_total", "Messages added to the queue.",
                      MetricType::Counter, {}};
    MetricFamily received{"sluice_sqs_number_of_messages_received_total", "Messages returned by ReceiveMessage.",
                          MetricType::Counter, {}};
    MetricFamily deleted{"sluice_sqs_number_of_messages_deleted_total", "Messages deleted.", MetricType::Counter, {}};
    MetricFamily empty{"sluice_sqs_number_of_empty_receives_total", "ReceiveMessage calls that returned nothing.",
                       MetricType::Counter, {}};
    MetricFamily size{"sluice_sqs_sent_message_size_bytes", "Size of messages added to the queue.",
                      MetricType::Summary, {}};
    const double now_s = double(clock_.now()) / 1000.0;
    for (const auto& q : queues_.all()) {
      const std::vector<prometheus::ClientMetric::Label> labels = {{"account", q->identity().account},
                                                                   {"queue", q->name()}};
      auto c = q->counts();
      auto& probe = q->probe();
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
      gauge(visible, double(c.visible));
      gauge(not_visible, double(c.inflight));
      gauge(delayed, double(c.delayed));
      gauge(age, c.oldest_sent_ms ? std::max(0.0, now_s - double(c.oldest_sent_ms) / 1000.0) : 0.0);
      counter(sent, double(probe.messages_sent.load()));
      counter(received, double(probe.messages_received.load()));
      counter(deleted, double(probe.messages_deleted.load()));
      counter(empty, double(probe.empty_receives.load()));
      ClientMetric s;
      s.label = labels;
      s.summary.sample_count = probe.messages_sent.load();
      s.summary.sample_sum = double(probe.sent_bytes.load());
      size.metric.push_back(std::move(s));
    }
    return {visible, not_visible, delayed, age, sent, received, deleted, empty, size};
  }

 private:
  queue::QueueService& queues_;
  SystemClock clock_;
};

}  // namespace

std::shared_ptr<prometheus::Collectable> make_sqs_collector(queue::QueueService& queues) {
  return std::make_shared<SqsCollector>(queues);
}

}  // namespace sluice::metrics
