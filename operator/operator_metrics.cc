#include "operator/operator_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <mutex>

namespace sluice {

struct OperatorMetrics::Impl {
  prometheus::Registry registry;
  prometheus::Family<prometheus::Counter>& reconciles = prometheus::BuildCounter()
                                                            .Name("sluice_operator_reconcile_total")
                                                            .Help("Reconciles, by kind and result.")
                                                            .Register(registry);
  prometheus::Family<prometheus::Histogram>& durations = prometheus::BuildHistogram()
                                                             .Name("sluice_operator_reconcile_duration_seconds")
                                                             .Help("Time spent in one reconcile, by kind.")
                                                             .Register(registry);
  prometheus::Family<prometheus::Gauge>& depth = prometheus::BuildGauge()
                                                     .Name("sluice_operator_workqueue_depth")
                                                     .Help("Keys waiting in a controller's work queue.")
                                                     .Register(registry);
  prometheus::Gauge& leader = prometheus::BuildGauge()
                                  .Name("sluice_operator_is_leader")
                                  .Help("1 when this replica holds the leader lease.")
                                  .Register(registry)
                                  .Add({});
  prometheus::Counter& kube = prometheus::BuildCounter()
                                  .Name("sluice_operator_kube_requests_total")
                                  .Help("Requests made to the Kubernetes API server.")
                                  .Register(registry)
                                  .Add({});
  uint64_t kube_seen = 0;
  std::mutex mu;
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauges;
};

OperatorMetrics::OperatorMetrics() : impl_(std::make_unique<Impl>()) {}
OperatorMetrics::~OperatorMetrics() = default;

void OperatorMetrics::reconciled(const std::string& kind, bool ok, double seconds) {
  impl_->reconciles.Add({{"kind", kind}, {"result", ok ? "success" : "error"}}).Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                                   0.25,  0.5,   1,    2.5,   5,    10};
  impl_->durations.Add({{"kind", kind}}, kBuckets).Observe(seconds);
}

void OperatorMetrics::queue_depth(const std::string& kind, size_t depth) {
  impl_->depth.Add({{"kind", kind}}).Set(double(depth));
}

void OperatorMetrics::leader(bool is_leader) { impl_->leader.Set(is_leader ? 1 : 0); }

void OperatorMetrics::kube_requests(uint64_t total) {
  std::lock_guard lock(impl_->mu);
  if (total > impl_->kube_seen) impl_->kube.Increment(double(total - impl_->kube_seen));
  impl_->kube_seen = total;
}

void OperatorMetrics::gauge(const std::string& name, const std::string& help,
                            const std::map<std::string, std::string>& labels, double value) {
  prometheus::Family<prometheus::Gauge>* family;
  {
    std::lock_guard lock(impl_->mu);
    auto& slot = impl_->gauges[name];
    if (!slot) slot = &prometheus::BuildGauge().Name(name).Help(help).Register(impl_->registry);
    family = slot;
  }
  family->Add(labels).Set(value);
}

std::string OperatorMetrics::scrape() const {
  return prometheus::TextSerializer().Serialize(impl_->registry.Collect());
}

}  // namespace sluice
