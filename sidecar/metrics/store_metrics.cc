#include "sidecar/metrics/store_metrics.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "runtime/storage/rocks_store.h"

namespace sluice::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

class StoreCollector final : public prometheus::Collectable {
 public:
  explicit StoreCollector(const storage::RocksStore& store) : store_(store) {}

  std::vector<MetricFamily> Collect() const override {
    const auto stats = store_.stats();
    auto counter = [](std::string name, std::string help, uint64_t value) {
      MetricFamily f{std::move(name), std::move(help), MetricType::Counter, {}};
      ClientMetric m;
      m.counter.value = double(value);
      f.metric.push_back(std::move(m));
      return f;
    };
    return {counter("sluice_store_commits_total", "Batches the engines asked the store to commit.", stats.commits),
            counter("sluice_store_writes_total", "Store writes the commits were merged into.", stats.writes),
            counter("sluice_store_syncs_total", "fsyncs of the store's write-ahead log.", stats.syncs)};
  }

 private:
  const storage::RocksStore& store_;
};

}  // namespace

std::shared_ptr<prometheus::Collectable> make_store_collector(const storage::RocksStore& store) {
  return std::make_shared<StoreCollector>(store);
}

}  // namespace sluice::metrics
