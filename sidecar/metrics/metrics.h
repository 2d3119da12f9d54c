#pragma once
// The sidecar's Prometheus registry. Request counters and latency histograms
// are created up front for every action, so the request path only bumps
// pre-resolved metrics; per-queue CloudWatch metrics are read from the engines
// at scrape time (each module its own, e.g. sqs/queue_metrics.h). Only metrics
// code touches prometheus-cpp.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace prometheus {
class Registry;
class Counter;
class Histogram;
class Collectable;
template <typename T>
class Family;
}  // namespace prometheus

namespace sluice::metrics {

// How much /metrics says, as Envoy's and Redpanda's stats levels do: with 10,000
// queues one series each is megabytes per scrape.
enum class Level : uint8_t {
  service,   // per service and region: every resource summed
  resource,  // per resource, for the first max_resources of each kind; the rest summed as "_other"
  shard,     // per resource and, where an engine has them, per shard
};

struct MetricsOptions {
  Level level = Level::resource;
  size_t max_resources = 1000;
};

std::string_view to_string(Level level);
std::optional<Level> parse_level(std::string_view text);

// Metrics of one API action of one service.
class ActionMetrics {
 public:
  ActionMetrics(prometheus::Counter& ok, prometheus::Histogram& latency,
                prometheus::Family<prometheus::Counter>& errors, std::string service, std::string action);
  void succeeded(double seconds);
  void failed(std::string_view code, double seconds);

 private:
  prometheus::Counter& ok_;
  prometheus::Histogram& latency_;
  prometheus::Family<prometheus::Counter>& errors_;
  std::string service_, action_;
};

class Metrics {
 public:
  Metrics();
  ~Metrics();

  // Created once per (service, action); the pointer stays valid for the process.
  ActionMetrics* action(std::string_view service, std::string_view action);
  void add_collectable(std::shared_ptr<prometheus::Collectable> collectable);
  // Prometheus text exposition format.
  std::string scrape() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Counter>* errors_;
  prometheus::Family<prometheus::Histogram>* latency_;
  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<ActionMetrics>> actions_;
  std::vector<std::shared_ptr<prometheus::Collectable>> collectables_;
};

}  // namespace sluice::metrics
