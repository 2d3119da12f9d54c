#pragma once
// The autoscalers compared, behind one interface: called every simulated second
// with the queue depth it would read (noise included), each returns the replica
// count it sets on the Deployment. Each polls on its own interval.
//
//   sluice     the operator's TargetTracker (operator/autoscaler), as the
//              WorkerAutoscaler reconciler drives it: every pollingInterval,
//              Observation{now, spec.replicas, readyReplicas, depths}
//   hpa        a plain HPA on the same metric and target (hpa_model.h): min 1,
//              15 s sync; it starts with 1 Ready replica
//   keda       KEDA's ScaledObject + HPA (keda_model.h)

#include <memory>
#include <string>

#include "bench/autoscaler/keda_model.h"
#include "operator/autoscaler/spec.h"
#include "operator/autoscaler/target_tracker.h"
#include "operator/queue/queue_trigger.h"

namespace sluice::bench {

class Policy {
 public:
  virtual ~Policy() = default;
  virtual int tick(int now_s, const queue_trigger::Depth& seen, int replicas, int ready) = 0;
  // The controller restarts (a new operator leader, kube-controller-manager
  // restarting): what it kept in memory is gone.
  virtual void restart(int now_s) = 0;
  virtual int initial_replicas() const { return 0; }
};

std::unique_ptr<Policy> make_sluice_policy(const autoscaler::Spec& spec);
// What-if, not a shipped feature: the same TargetTracker with one more trigger
// that reads only the in-flight count, at `in_flight_per_replica` per replica
// (the messages one replica holds at full speed). By Little's law in-flight =
// arrival rate x time in flight, so that trigger asks for the replicas needed to
// keep up, which the backlog alone does not once the workers have caught up.
std::unique_ptr<Policy> make_sluice_in_flight_policy(const autoscaler::Spec& spec, double in_flight_per_replica);
std::unique_ptr<Policy> make_hpa_policy(double target, int max_replicas, int sync_seconds = 15);
std::unique_ptr<Policy> make_keda_policy(const KedaSettings& settings, int hpa_sync_seconds = 15);

}  // namespace sluice::bench
