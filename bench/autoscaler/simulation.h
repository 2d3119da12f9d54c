#pragma once
// Replays a load profile against one policy and its own simulated workers and
// queue, second by second. Within second t: producers send; pods whose startup
// has ended become Ready; Ready pods receive what they can process; the policy
// reads visible and in-flight (times the noise of second t) and may scale;
// the second is recorded; the received messages are deleted.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/autoscaler/load_profile.h"
#include "bench/autoscaler/policies.h"

namespace sluice::bench {

struct WorkerSettings {
  int throughput = 10;  // messages per second per Ready replica
  int startup = 10;     // seconds from a pod's creation to Ready
};

struct Sample {
  uint64_t visible = 0;    // the backlog: waiting, receivable
  uint64_t in_flight = 0;  // received, being processed
  int replicas = 0;        // spec.replicas after this second's decision
  int ready = 0;
  double observed = 0;  // visible + in flight as the policy read it (with noise)
};

struct ScaleChange {
  int t;
  int from, to;
};

struct LaneResult {
  std::string name;
  std::vector<Sample> samples;  // one per second
  std::vector<ScaleChange> changes;
  std::optional<int> burst_drained_at;  // end of the second the last burst message was deleted
  double burst_replica_seconds = 0;     // replica-seconds in [0, burst_drained_at)
  double total_replica_seconds = 0;
  uint64_t left_at_end = 0;  // visible + in flight when the profile ends
  uint64_t deleted = 0;      // messages processed
};

LaneResult run_lane(const std::string& name, Policy& policy, const LoadProfile& profile,
                    const std::vector<double>& noise, const WorkerSettings& workers,
                    std::optional<int> restart_at = std::nullopt);

}  // namespace sluice::bench
