#include "sidecar/sns/topic_metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <algorithm>
#include <map>

#include "runtime/topic/topic_service.h"

namespace sluice::sns {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

struct TopicSample {
  double published = 0, bytes = 0;
  void add(const TopicSample& o) {
    published += o.published;
    bytes += o.bytes;
  }
};

struct SubscriptionSample {
  double delivered = 0, failed = 0, filtered = 0, no_attributes = 0, invalid_attributes = 0, invalid_body = 0,
         dead_lettered = 0, lag_s = 0;
  void add(const SubscriptionSample& o) {
    delivered += o.delivered;
    failed += o.failed;
    filtered += o.filtered;
    no_attributes += o.no_attributes;
    invalid_attributes += o.invalid_attributes;
    invalid_body += o.invalid_body;
    dead_lettered += o.dead_lettered;
    lag_s = std::max(lag_s, o.lag_s);
  }
};

// The last part of a subscription ARN (its id).
std::string subscription_id(const std::string& arn) { return arn.substr(arn.rfind(':') + 1); }

MetricFamily family(const char* name, const char* help, MetricType type) { return {name, help, type, {}}; }

void counter(MetricFamily& f, const Labels& labels, double v) {
  ClientMetric m;
  m.label = labels;
  m.counter.value = v;
  f.metric.push_back(std::move(m));
}

void gauge(MetricFamily& f, const Labels& labels, double v) {
  ClientMetric m;
  m.label = labels;
  m.gauge.value = v;
  f.metric.push_back(std::move(m));
}

class SnsCollector final : public prometheus::Collectable {
 public:
  SnsCollector(topic::TopicService& topics, metrics::MetricsOptions options) : topics_(topics), options_(options) {}

  std::vector<MetricFamily> Collect() const override {
    std::map<Labels, TopicSample> topic_series;
    std::map<Labels, SubscriptionSample> sub_series;
    size_t own_topics = 0, own_subs = 0;
    auto topics = topics_.all();
    std::sort(topics.begin(), topics.end(), [](const auto& a, const auto& b) { return a->arn() < b->arn(); });
    for (const auto& t : topics) {
      const auto& key = t->key();
      auto& probe = t->probe();
      TopicSample ts{double(probe.published.load()), double(probe.publish_bytes.load())};
      Labels labels;
      if (options_.level == metrics::Level::service) {
        labels = {{"region", key.region}};
      } else if (own_topics < options_.max_resources) {
        labels = {{"region", key.region}, {"account", key.account}, {"topic", key.name}};
        ++own_topics;
      } else {
        labels = {{"region", key.region}, {"account", "_other"}, {"topic", "_other"}};
      }
      topic_series[labels].add(ts);

      for (const auto& s : t->subscriptions()) {
        auto& sp = s->probe();
        SubscriptionSample ss;
        ss.delivered = double(sp.delivered.load());
        ss.failed = double(sp.failed.load());
        ss.filtered = double(sp.filtered_out.load());
        ss.no_attributes = double(sp.filtered_out_no_attributes.load());
        ss.invalid_attributes = double(sp.filtered_out_invalid_attributes.load());
        ss.invalid_body = double(sp.filtered_out_invalid_body.load());
        ss.dead_lettered = double(sp.dead_lettered.load());
        ss.lag_s = double(s->oldest_pending_age_ms()) / 1000.0;
        Labels sl;
        if (options_.level == metrics::Level::service) {
          sl = {{"region", key.region}, {"protocol", s->protocol()}};
        } else if (own_subs < options_.max_resources) {
          sl = {{"region", key.region},
                {"account", key.account},
                {"topic", key.name},
                {"subscription", subscription_id(s->arn())},
                {"protocol", s->protocol()}};
          ++own_subs;
        } else {
          sl = {{"region", key.region},
                {"account", "_other"},
                {"topic", "_other"},
                {"subscription", "_other"},
                {"protocol", s->protocol()}};
        }
        sub_series[sl].add(ss);
      }
    }

    MetricFamily published =
        family("sluice_sns_number_of_messages_published_total",
               "Messages published to the topic (NumberOfMessagesPublished).", MetricType::Counter);
    MetricFamily size = family("sluice_sns_publish_size_bytes_total", "Bytes of the messages published (PublishSize).",
                               MetricType::Counter);
    for (const auto& [labels, s] : topic_series) {
      counter(published, labels, s.published);
      counter(size, labels, s.bytes);
    }
    MetricFamily delivered = family(
        "sluice_sns_number_of_notifications_delivered_total",
        "Messages delivered to the subscription's endpoint (NumberOfNotificationsDelivered).", MetricType::Counter);
    MetricFamily failed =
        family("sluice_sns_number_of_notifications_failed_total",
               "Messages the subscription could not deliver once its retries were spent (NumberOfNotificationsFailed).",
               MetricType::Counter);
    MetricFamily filtered = family(
        "sluice_sns_number_of_notifications_filtered_out_total",
        "Messages the subscription's filter policy rejected (NumberOfNotificationsFilteredOut).", MetricType::Counter);
    MetricFamily no_attributes =
        family("sluice_sns_number_of_notifications_filtered_out_no_message_attributes_total",
               "Messages rejected because they had no message attributes to filter on.", MetricType::Counter);
    MetricFamily invalid_attributes =
        family("sluice_sns_number_of_notifications_filtered_out_invalid_attributes_total",
               "Messages rejected because their attributes could not be filtered on.", MetricType::Counter);
    MetricFamily invalid_body = family(
        "sluice_sns_number_of_notifications_filtered_out_invalid_message_body_total",
        "Messages rejected because their body is not the JSON object a body-scope policy needs.", MetricType::Counter);
    MetricFamily dead_lettered = family("sluice_sns_number_of_notifications_dead_lettered_total",
                                        "Messages sent to the subscription's dead-letter queue.", MetricType::Counter);
    MetricFamily lag = family("sluice_sns_delivery_lag_seconds",
                              "Age of the oldest message the subscription has yet to deliver.", MetricType::Gauge);
    for (const auto& [labels, s] : sub_series) {
      counter(delivered, labels, s.delivered);
      counter(failed, labels, s.failed);
      counter(filtered, labels, s.filtered);
      counter(no_attributes, labels, s.no_attributes);
      counter(invalid_attributes, labels, s.invalid_attributes);
      counter(invalid_body, labels, s.invalid_body);
      counter(dead_lettered, labels, s.dead_lettered);
      gauge(lag, labels, s.lag_s);
    }
    return {published,          size,         delivered,     failed, filtered, no_attributes,
            invalid_attributes, invalid_body, dead_lettered, lag};
  }

 private:
  topic::TopicService& topics_;
  metrics::MetricsOptions options_;
};

}  // namespace

std::shared_ptr<prometheus::Collectable> make_sns_collector(topic::TopicService& topics,
                                                            const metrics::MetricsOptions& options) {
  return std::make_shared<SnsCollector>(topics, options);
}

}  // namespace sluice::sns
