#pragma once
// KEDA's ScaledObject with one aws-sqs-queue trigger, as its scale loop runs it
// (pkg/scaling/executor/scale_scaledobjects.go): every pollingInterval it asks
// the scaler whether it is active (metric > activationQueueLength); if the
// target is at 0 and active it sets max(minReplicaCount, 1); if it is not active,
// minReplicaCount is 0 and lastActiveTime + cooldownPeriod has passed (or there
// is no lastActiveTime) it sets 0 straight from any N (kedacore/keda#7770).
// Between 1 and N the HPA KEDA created decides (HpaModel, minReplicas
// max(minReplicaCount, 1)), reading the metric fresh at each of its 15 s syncs.
//
// The metric is the scaler's: visible + in flight (scaleOnInFlight, default
// true); the HPA target is queueLength per replica (AverageValue).

#include <optional>

#include "bench/autoscaler/hpa_model.h"

namespace sluice::bench {

struct KedaSettings {
  double queue_length = 5;  // the scaler's default
  double activation_queue_length = 0;
  int polling_interval_seconds = 30;
  int cooldown_period_seconds = 300;
  int min_replica_count = 0;
  int max_replica_count = 100;
};

class KedaModel {
 public:
  explicit KedaModel(const KedaSettings& s) : s_(s), hpa_(s.min_replica_count, s.max_replica_count, s.queue_length) {}

  // KEDA's own poll: the replica count to set.
  int poll(autoscaler::TimeMs now, double metric, int current);
  // The HPA's sync.
  int sync_hpa(autoscaler::TimeMs now, double metric, int current) { return hpa_.sync(now, metric, current); }
  // kube-controller-manager restarts: the HPA forgets its history. KEDA keeps
  // lastActiveTime in the ScaledObject's status, so it survives.
  void restart_hpa() { hpa_ = HpaModel(s_.min_replica_count, s_.max_replica_count, s_.queue_length); }

  const KedaSettings& settings() const { return s_; }

 private:
  KedaSettings s_;
  HpaModel hpa_;
  std::optional<autoscaler::TimeMs> last_active_;
};

}  // namespace sluice::bench
