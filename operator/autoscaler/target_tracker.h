#pragma once
// Target tracking for one WorkerAutoscaler: from its triggers' backlogs to a replica
// count, the way an Auto Scaling group's target-tracking policy and the HPA do
// it, with KEDA's scale-to-zero. Pure logic over an injected time: every poll
// hands in an Observation, and decide() returns the replica count to set.
//
//   recommendation = ceil(backlog / targetBacklogPerReplica), per trigger, the
//   largest wins; unchanged while backlog / (target x ready replicas) is within
//   10% of 1; scale up to the lowest recommendation of the up window and by at
//   most max(+pods, +percent) per period; scale down to the highest
//   recommendation of the down window — counted with a 10% margin (a replica
//   goes only when the rest would sit at 90% of the target, as AWS's scale-in
//   alarm does) and never below the in-flight floor when one is set — and by
//   at most the down limits; the window starts seeded with the replicas found
//   at first sight (as the HPA does), so a restarted operator does not scale
//   in on one noisy read; clamp to
//   [min, max]; 0 -> 1 as soon as the backlog exceeds the activation threshold;
//   N -> 1 -> 0, the last step only after the cooldown with nothing visible or
//   in flight, counted from when the autoscaler first saw the target (never
//   from "never active"); fallback replicas after N failed reads.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "operator/autoscaler/spec.h"

namespace sluice::autoscaler {

using TimeMs = int64_t;

struct Observation {
  TimeMs now = 0;
  int replicas = 0;                              // the target's spec.replicas
  int ready_replicas = 0;                        // pods Ready: capacity (pods still starting are not)
  std::vector<std::optional<Reading>> readings;  // one per trigger; nullopt: the read failed
};

struct Decision {
  int desired = 0;
  double backlog = 0;              // the largest trigger's metric
  double backlog_per_replica = 0;  // over ready replicas
  bool active = false;             // some backlog above its activation threshold
  bool fallback = false;
  std::string reason;
};

class TargetTracker {
 public:
  explicit TargetTracker(TimeMs first_seen) : last_busy_(first_seen) {}

  Decision decide(const Spec& spec, const Observation& obs);

  std::optional<TimeMs> last_active() const { return last_active_; }
  TimeMs last_busy() const { return last_busy_; }
  int failures() const { return failures_; }

 private:
  struct Change {
    TimeMs at;
    int from, to;
  };
  int limit_up(const ScalingRules& rules, int current, TimeMs now) const;
  int limit_down(const ScalingRules& rules, int current, TimeMs now) const;

  struct Recommendation {
    TimeMs at;
    int up;    // replicas the backlog needs
    int down;  // replicas it needs counted with the scale-in margin and floors
  };
  std::deque<Recommendation> recommendations_;
  std::deque<Change> changes_;
  TimeMs last_busy_;
  std::optional<TimeMs> last_active_;
  int failures_ = 0;
};

// Recommendation a plain HPA (AverageValue metric, default behaviour, no
// scale-to-zero) would make; for the simulation's comparison.
int hpa_recommendation(double backlog, double target, int current, int min_replicas, int max_replicas);

}  // namespace sluice::autoscaler
