#include "bench/autoscaler/run_summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sluice::bench {

Ideal ideal_schedule(const LoadProfile& profile, double target, int max_replicas, const WorkerSettings& workers) {
  Ideal i;
  if (profile.burst == 0) return i;
  i.replicas = std::min(max_replicas, int(std::ceil(double(profile.burst) / target)));
  i.burst_replica_seconds = double(profile.burst) / workers.throughput + double(i.replicas) * workers.startup;
  i.drain_seconds = workers.startup + double(profile.burst) / (double(i.replicas) * workers.throughput);
  i.total_replica_seconds = double(profile.total_sent()) / workers.throughput + double(i.replicas) * workers.startup;
  return i;
}

int count_reversals(const std::vector<ScaleChange>& changes, int window_seconds) {
  int n = 0;
  for (size_t i = 1; i < changes.size(); ++i) {
    const bool up = changes[i].to > changes[i].from;
    const bool prev_up = changes[i - 1].to > changes[i - 1].from;
    if (up != prev_up && changes[i].t - changes[i - 1].t < window_seconds) ++n;
  }
  return n;
}

Summary summarize(const LaneResult& lane, const LoadProfile& profile, int window_seconds) {
  Summary s;
  s.name = lane.name;
  s.drain_seconds = lane.burst_drained_at;
  s.burst_replica_seconds = lane.burst_replica_seconds;
  s.total_replica_seconds = lane.total_replica_seconds;
  s.scale_changes = int(lane.changes.size());
  s.reversals = count_reversals(lane.changes, window_seconds);
  for (const auto& x : lane.samples) s.peak_replicas = std::max(s.peak_replicas, x.replicas);
  s.left_at_end = lane.left_at_end;
  if (auto silence = profile.silence_starts()) {
    // The last second with replicas, after the silence starts; 0 replicas from the next one on.
    int last = int(lane.samples.size());
    while (last > *silence && lane.samples[size_t(last - 1)].replicas == 0) --last;
    if (last < int(lane.samples.size())) s.zero_after_silence = last - *silence;
  }
  return s;
}

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string seconds_or(const std::optional<int>& v, const char* none) {
  return v ? std::to_string(*v) + " s" : std::string(none);
}

}  // namespace

std::string format_table(const std::vector<Summary>& rows, const LoadProfile& profile, const Ideal& ideal,
                         int window_seconds) {
  std::string out;
  char line[512];
  const bool burst = profile.burst > 0;
  if (burst) {
    std::snprintf(line, sizeof line,
                  "ideal schedule: %d replicas at t=0; burst %.0f replica-s (burst/throughput + %d x startup), "
                  "drained at %.0f s; whole profile %.0f replica-s\n",
                  ideal.replicas, ideal.burst_replica_seconds, ideal.replicas, ideal.drain_seconds,
                  ideal.total_replica_seconds);
    out += line;
  }
  std::snprintf(line, sizeof line, "%-11s | %-9s | %-17s | %-17s | %6s | %-14s | %-12s | %4s | %4s\n", "policy",
                "drain", "burst replica-s", "total replica-s", "scales",
                ("reversals<" + std::to_string(window_seconds) + "s").c_str(), "to zero", "peak", "left");
  out += line;
  out += std::string(std::string(line).size() - 1, '-') + "\n";
  for (const auto& s : rows) {
    const std::string burst_rs = burst && s.drain_seconds
                                     ? fmt("%.0f", s.burst_replica_seconds) + " (" +
                                           fmt("%.2f", s.burst_replica_seconds / ideal.burst_replica_seconds) + "x)"
                                     : std::string("-");
    const std::string total_rs =
        fmt("%.0f", s.total_replica_seconds) +
        (burst ? " (" + fmt("%.2f", s.total_replica_seconds / ideal.total_replica_seconds) + "x)" : std::string());
    const std::string zero = profile.silence_starts() ? seconds_or(s.zero_after_silence, "never") : "-";
    // A held backlog never empties: what is left says nothing there.
    const std::string left = profile.held_backlog >= 0 ? "-" : std::to_string(s.left_at_end);
    std::snprintf(line, sizeof line, "%-11s | %-9s | %-17s | %-17s | %6d | %-14d | %-12s | %4d | %4s\n", s.name.c_str(),
                  burst ? seconds_or(s.drain_seconds, "not drained").c_str() : "-", burst_rs.c_str(), total_rs.c_str(),
                  s.scale_changes, s.reversals, zero.c_str(), s.peak_replicas, left.c_str());
    out += line;
  }
  return out;
}

}  // namespace sluice::bench
