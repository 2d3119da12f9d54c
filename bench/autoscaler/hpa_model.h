#pragma once
// A plain HorizontalPodAutoscaler on one External AverageValue metric, as the
// Kubernetes controller computes it (pkg/controller/podautoscaler/horizontal.go,
// replica_calculator.go): the recommendation is hpa_recommendation() from the
// operator's own code (ceil(metric / target) outside a 10% tolerance on
// metric / (target x current)); then the behavior's stabilization windows, then
// its rate limits. Also the HPA that KEDA creates for 1 <-> N.
//
// Kept from the upstream controller on purpose, because they change results:
// the first sync seeds the recommendation history with the current replica
// count (recordInitialRecommendation), a Deployment at 0 replicas is left alone
// (ScalingDisabled), and a rate limit's period starts from the replicas at its
// start, counting scale-ups and scale-downs made in it.

#include <deque>

#include "operator/autoscaler/spec.h"
#include "operator/autoscaler/target_tracker.h"

namespace sluice::bench {

class HpaModel {
 public:
  // The behavior defaults of autoscaling/v2 are Sluice's Behavior defaults.
  HpaModel(int min_replicas, int max_replicas, double target,
           autoscaler::ScalingRules scale_up = autoscaler::Behavior{}.scale_up,
           autoscaler::ScalingRules scale_down = autoscaler::Behavior{}.scale_down);

  // One sync: the replica count to set.
  int sync(autoscaler::TimeMs now, double metric, int current);

 private:
  struct Event {
    autoscaler::TimeMs at;
    int change;  // > 0 added, < 0 removed
  };
  int period_start(const autoscaler::ScalingRules& rules, int current, autoscaler::TimeMs now) const;
  int scale_up_limit(int current, autoscaler::TimeMs now) const;
  int scale_down_limit(int current, autoscaler::TimeMs now) const;

  int min_, max_;
  double target_;
  autoscaler::ScalingRules up_, down_;
  std::deque<std::pair<autoscaler::TimeMs, int>> recommendations_;
  std::deque<Event> events_;
};

}  // namespace sluice::bench
