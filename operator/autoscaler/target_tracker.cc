#include "operator/autoscaler/target_tracker.h"

#include <algorithm>
#include <cmath>

namespace sluice::autoscaler {
namespace {

constexpr double kTolerance = 0.1;
constexpr double kScaleInMargin = 0.9;  // scale in only to counts that would sit at 90% of the target

int ceil_div(double backlog, double target) { return int(std::ceil(backlog / target - 1e-9)); }

}  // namespace

int TargetTracker::limit_up(const ScalingRules& rules, int current, TimeMs now) const {
  // Replicas at the start of the period: the HPA's base for both policies.
  int added = 0;
  for (const auto& c : changes_)
    if (c.at > now - rules.period_seconds * 1000 && c.to > c.from) added += c.to - c.from;
  const int base = current - added;
  int limit = current;
  if (rules.pods_per_period) limit = std::max(limit, base + *rules.pods_per_period);
  if (rules.percent_per_period)
    limit = std::max(limit, int(std::ceil(base * (1.0 + *rules.percent_per_period / 100.0) - 1e-9)));
  return limit;
}

int TargetTracker::limit_down(const ScalingRules& rules, int current, TimeMs now) const {
  int removed = 0;
  for (const auto& c : changes_)
    if (c.at > now - rules.period_seconds * 1000 && c.to < c.from) removed += c.from - c.to;
  const int base = current + removed;
  // The policy that allows the biggest change wins (selectPolicy: Max).
  int floor = current;
  if (rules.pods_per_period) floor = std::min(floor, base - *rules.pods_per_period);
  if (rules.percent_per_period)
    floor = std::min(floor, int(std::floor(base * (1.0 - *rules.percent_per_period / 100.0) + 1e-9)));
  return std::max(floor, 0);
}

Decision TargetTracker::decide(const Spec& spec, const Observation& obs) {
  Decision d;
  const TimeMs now = obs.now;
  const int current = obs.replicas;
  const int capacity = std::max(obs.ready_replicas, 0);

  // 1. Metrics, or the fallback when they keep failing.
  bool failed = obs.readings.size() != spec.triggers.size();
  for (const auto& reading : obs.readings) failed |= !reading.has_value();
  if (failed) {
    ++failures_;
    d.desired = current;
    if (spec.fallback && failures_ >= spec.fallback->failure_threshold) {
      d.fallback = true;
      d.desired = std::clamp(spec.fallback->replicas, spec.min_replicas, spec.max_replicas);
      d.reason = "backlog unreadable for " + std::to_string(failures_) + " polls: fallback to " +
                 std::to_string(d.desired) + " replicas";
    } else {
      d.reason = "backlog unreadable (" + std::to_string(failures_) + " polls in a row): keeping " +
                 std::to_string(current) + " replicas";
    }
    return d;
  }
  failures_ = 0;

  // First sight: seed the window with the replicas found, so that neither a
  // restarted operator nor a new autoscaler scales in on a single read.
  if (recommendations_.empty() && current > 0) recommendations_.push_back({now, current, current});

  // 2. One recommendation per trigger; the largest wins.
  int recommendation = 0;
  int down_floor = 0;  // the scale-in recommendation: with the margin and the in-flight floors
  bool busy = false;
  for (size_t i = 0; i < spec.triggers.size(); ++i) {
    const Trigger& t = spec.triggers[i];
    const Reading& q = *obs.readings[i];
    const double metric = q.backlog;
    busy |= q.waiting + q.in_flight > 0;  // work in flight keeps workers alive whatever the metric says
    d.active |= metric > double(t.activation_backlog);
    int rec = ceil_div(metric, t.target_backlog_per_replica);
    if (capacity > 0 && current > 0) {
      const double ratio = metric / (t.target_backlog_per_replica * capacity);
      if (std::abs(ratio - 1.0) <= kTolerance) rec = current;  // close enough: no change
    }
    if (i == 0 || rec > recommendation) {  // report the backlog of the trigger that decides
      recommendation = rec;
      d.backlog = metric;
    }
    int down = rec == current ? current : ceil_div(metric, t.target_backlog_per_replica * kScaleInMargin);
    if (t.target_in_flight_per_replica) down = std::max(down, ceil_div(q.in_flight, *t.target_in_flight_per_replica));
    down_floor = std::max(down_floor, down);
  }
  d.backlog_per_replica = d.backlog / std::max(capacity, 1);
  if (busy) last_busy_ = now;
  if (d.active) last_active_ = now;

  // 3. Scale to zero: only from one replica, only after the cooldown.
  const TimeMs cooldown_ms = TimeMs(spec.behavior.scale_to_zero_cooldown_seconds) * 1000;
  const bool cooled_down = now - last_busy_ >= cooldown_ms;
  if (spec.min_replicas == 0) {
    if (current == 0 && !d.active) {
      d.desired = 0;
      d.reason =
          "idle at zero: backlog " + std::to_string(int64_t(d.backlog)) + " is not above the activation threshold";
      return d;
    }
    if (current == 0 && d.active) recommendation = std::max(recommendation, 1);
    if (current == 1 && recommendation == 0 && cooled_down) {
      d.desired = 0;
      changes_.push_back({now, 1, 0});
      d.reason = "nothing visible or in flight for " + std::to_string(spec.behavior.scale_to_zero_cooldown_seconds) +
                 " s: scaling to zero";
      return d;
    }
    if (recommendation == 0) recommendation = 1;  // N -> 1 first; 1 -> 0 only after the cooldown
    if (down_floor == 0) down_floor = 1;
  }
  recommendation = std::clamp(recommendation, spec.min_replicas, spec.max_replicas);
  down_floor = std::clamp(std::max(down_floor, 0), spec.min_replicas, spec.max_replicas);
  if (current == 0) down_floor = recommendation;

  // 4. Stabilization: up to the lowest recommendation of the up window, down
  // to the highest scale-in recommendation of the down window.
  recommendations_.push_back({now, recommendation, down_floor});
  const auto& up = spec.behavior.scale_up;
  const auto& down = spec.behavior.scale_down;
  const TimeMs keep = std::max(up.stabilization_window_seconds, down.stabilization_window_seconds) * TimeMs(1000);
  // A window holds the recommendations made strictly after now - window (as the HPA's cutoff).
  while (!recommendations_.empty() && recommendations_.front().at <= now - keep) recommendations_.pop_front();
  int up_rec = recommendation, down_rec = recommendations_.back().down;
  for (const auto& r : recommendations_) {
    if (r.at > now - up.stabilization_window_seconds * TimeMs(1000)) up_rec = std::min(up_rec, r.up);
    if (r.at > now - down.stabilization_window_seconds * TimeMs(1000)) down_rec = std::max(down_rec, r.down);
  }
  int desired = current;
  if (desired < up_rec) desired = up_rec;
  if (desired > down_rec) desired = down_rec;

  // 5. Rate limits per period.
  std::string why;
  if (desired > current) {
    const int limit = limit_up(up, current, now);
    if (desired > limit) why = " (limited to " + std::to_string(limit) + " this period)";
    desired = std::min(desired, limit);
  } else if (desired < current) {
    const int floor = limit_down(down, current, now);
    if (desired < floor) why = " (limited to " + std::to_string(floor) + " this period)";
    desired = std::max(desired, floor);
  }
  desired = std::clamp(desired, spec.min_replicas, spec.max_replicas);
  if (current == 0 && d.active) desired = std::max(desired, 1);

  // Forget changes older than any period.
  const TimeMs period = std::max(up.period_seconds, down.period_seconds) * TimeMs(1000);
  while (!changes_.empty() && changes_.front().at <= now - period) changes_.pop_front();
  if (desired != current) changes_.push_back({now, current, desired});

  d.desired = desired;
  const std::string backlog = std::to_string(int64_t(d.backlog));
  if (desired > current) {
    d.reason = "backlog " + backlog + " needs " + std::to_string(recommendation) + " replicas" + why;
  } else if (desired < current) {
    d.reason = "backlog " + backlog + " needs " + std::to_string(down_rec) + " replicas over the last " +
               std::to_string(down.stabilization_window_seconds) + " s" + why;
  } else {
    d.reason = "backlog " + backlog + ": " + std::to_string(current) + " replicas are right";
  }
  return d;
}

int hpa_recommendation(double backlog, double target, int current, int min_replicas, int max_replicas) {
  const int floor = std::max(min_replicas, 1);  // the HPA cannot scale to zero
  if (current == 0) return 0;                   // ... nor from zero
  const double ratio = backlog / (target * current);
  int rec = std::abs(ratio - 1.0) <= kTolerance ? current : ceil_div(backlog, target);
  return std::clamp(rec, floor, max_replicas);
}

}  // namespace sluice::autoscaler
