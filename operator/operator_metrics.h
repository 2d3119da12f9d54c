#pragma once
// The operator's Prometheus metrics:
//   sluice_operator_reconcile_total{kind,result}        reconciles, by outcome
//   sluice_operator_reconcile_duration_seconds{kind}    reconcile latency
//   sluice_operator_workqueue_depth{kind}               keys waiting
//   sluice_operator_is_leader                           1 on the active replica
//   sluice_operator_kube_requests_total                 API server requests made

#include <map>
#include <memory>
#include <string>

namespace sluice {

class OperatorMetrics {
 public:
  OperatorMetrics();
  ~OperatorMetrics();
  void reconciled(const std::string& kind, bool ok, double seconds);
  void queue_depth(const std::string& kind, size_t depth);
  void leader(bool is_leader);
  void kube_requests(uint64_t total);
  // A gauge with arbitrary labels, for controllers (e.g. the autoscaler's backlog).
  void gauge(const std::string& name, const std::string& help, const std::map<std::string, std::string>& labels,
             double value);
  std::string scrape() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice
