#include "sidecar/metrics/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace sluice::metrics {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::service:
      return "service";
    case Level::resource:
      return "resource";
    case Level::shard:
      return "shard";
  }
  return "resource";
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level l : {Level::service, Level::resource, Level::shard})
    if (to_string(l) == text) return l;
  return std::nullopt;
}

ActionMetrics::ActionMetrics(prometheus::Counter& ok, prometheus::Histogram& latency,
                             prometheus::Family<prometheus::Counter>& errors, std::string service, std::string action)
    : ok_(ok), latency_(latency), errors_(errors), service_(std::move(service)), action_(std::move(action)) {}

void ActionMetrics::succeeded(double seconds) {
  ok_.Increment();
  latency_.Observe(seconds);
}

void ActionMetrics::failed(std::string_view code, double seconds) {
  // Errors are rare; looking the labelled counter up here keeps the label set open.
  errors_.Add({{"service", service_}, {"action", action_}, {"code", std::string(code)}}).Increment();
  latency_.Observe(seconds);
}

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  requests_ = &prometheus::BuildCounter()
                   .Name("sluice_requests_total")
                   .Help("API requests answered successfully, by service and action.")
                   .Register(*registry_);
  errors_ = &prometheus::BuildCounter()
                 .Name("sluice_request_errors_total")
                 .Help("API requests answered with an error, by service, action and AWS error code.")
                 .Register(*registry_);
  latency_ = &prometheus::BuildHistogram()
                  .Name("sluice_request_duration_seconds")
                  .Help("Time from a request's arrival to its answer (long polls included), by service and action.")
                  .Register(*registry_);
}

Metrics::~Metrics() = default;

ActionMetrics* Metrics::action(std::string_view service, std::string_view action) {
  std::lock_guard lock(mu_);
  std::string key = std::string(service) + "." + std::string(action);
  auto& slot = actions_[key];
  if (!slot) {
    static const prometheus::Histogram::BucketBoundaries kBuckets = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20};
    auto& ok = requests_->Add({{"service", std::string(service)}, {"action", std::string(action)}});
    auto& latency = latency_->Add({{"service", std::string(service)}, {"action", std::string(action)}}, kBuckets);
    slot = std::make_unique<ActionMetrics>(ok, latency, *errors_, std::string(service), std::string(action));
  }
  return slot.get();
}

void Metrics::add_collectable(std::shared_ptr<prometheus::Collectable> collectable) {
  std::lock_guard lock(mu_);
  collectables_.push_back(std::move(collectable));
}

std::string Metrics::scrape() const {
  auto families = registry_->Collect();
  for (const auto& c : collectables_) {
    auto more = c->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace sluice::metrics
