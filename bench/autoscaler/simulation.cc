#include "bench/autoscaler/simulation.h"

#include <cmath>

#include "bench/autoscaler/worker_pool.h"

namespace sluice::bench {

LaneResult run_lane(const std::string& name, Policy& policy, const LoadProfile& profile,
                    const std::vector<double>& noise, const WorkerSettings& workers, std::optional<int> restart_at) {
  LaneResult r;
  r.name = name;
  r.samples.reserve(size_t(profile.duration_seconds));
  WorkerPool pool(workers.throughput, workers.startup);
  pool.start_ready(policy.initial_replicas());
  QueueState q;
  const bool held = profile.held_backlog >= 0;

  for (int t = 0; t < profile.duration_seconds; ++t) {
    const bool producing = t < profile.rate_seconds;
    if (held && producing) {
      q.visible = std::max<uint64_t>(q.visible, uint64_t(profile.held_backlog));  // refill what was deleted
    } else if (!held) {
      q.visible += profile.arrivals(t);
    }
    q.receive(pool.capacity(t));

    if (restart_at && t == *restart_at) policy.restart(t);
    const double f = noise[size_t(t)];
    const queue_trigger::Depth seen{uint64_t(std::llround(double(q.visible) * f)),
                                    uint64_t(std::llround(double(q.in_flight) * f)), 0};
    const int before = pool.replicas();
    const int desired = policy.tick(t, seen, before, pool.ready(t));
    if (desired != before) {
      pool.scale_to(desired, t);
      r.changes.push_back({t, before, desired});
    }

    r.samples.push_back(
        {q.visible, q.in_flight, pool.replicas(), pool.ready(t), double(seen.visible + seen.in_flight)});
    r.total_replica_seconds += pool.replicas();
    if (!r.burst_drained_at) r.burst_replica_seconds += pool.replicas();
    q.delete_in_flight();
    if (!r.burst_drained_at && profile.burst > 0 && q.deleted >= profile.burst) r.burst_drained_at = t + 1;
  }
  r.left_at_end = q.visible + q.in_flight;
  r.deleted = q.deleted;
  if (!r.burst_drained_at) r.burst_replica_seconds = 0;
  return r;
}

}  // namespace sluice::bench
