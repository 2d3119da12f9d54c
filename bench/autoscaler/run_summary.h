#pragma once
// The figures printed for each policy, and the ideal schedule they are held to.
//
// Ideal schedule for the burst: N = min(maxReplicas, ceil(burst / target))
// replicas created at t = 0, each paying its startup once, then all busy until
// the burst is gone:
//   ideal replica-seconds = burst / throughput + N x startup
//   ideal drain time      = startup + burst / (N x throughput)
// No schedule that brings up the replicas the target asks for can use fewer
// replica-seconds on the burst: every message costs 1 / throughput of a Ready
// replica, and every replica costs its startup. The same bound over the whole
// profile (every message sent, N startups) is the ideal total.

#include <optional>
#include <string>
#include <vector>

#include "bench/autoscaler/load_profile.h"
#include "bench/autoscaler/simulation.h"

namespace sluice::bench {

struct Ideal {
  int replicas = 0;
  double burst_replica_seconds = 0;
  double drain_seconds = 0;
  double total_replica_seconds = 0;
};

Ideal ideal_schedule(const LoadProfile& profile, double target, int max_replicas, const WorkerSettings& workers);

struct Summary {
  std::string name;
  std::optional<int> drain_seconds;
  double burst_replica_seconds = 0;
  double total_replica_seconds = 0;
  int scale_changes = 0;
  int reversals = 0;                      // see count_reversals
  std::optional<int> zero_after_silence;  // seconds from the silence to 0 replicas for good
  int peak_replicas = 0;
  uint64_t left_at_end = 0;
};

// A reversal: a scale change in the direction opposite to the change before it,
// less than `window_seconds` after it (up then down, or down then up).
int count_reversals(const std::vector<ScaleChange>& changes, int window_seconds);

Summary summarize(const LaneResult& lane, const LoadProfile& profile, int window_seconds);

// The table on stdout.
std::string format_table(const std::vector<Summary>& rows, const LoadProfile& profile, const Ideal& ideal,
                         int window_seconds);

}  // namespace sluice::bench
