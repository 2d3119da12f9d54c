#include "bench/autoscaler/hpa_model.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace sluice::bench {

using autoscaler::TimeMs;

HpaModel::HpaModel(int min_replicas, int max_replicas, double target, autoscaler::ScalingRules scale_up,
                   autoscaler::ScalingRules scale_down)
    : min_(std::max(min_replicas, 1)), max_(max_replicas), target_(target), up_(scale_up), down_(scale_down) {}

int HpaModel::period_start(const autoscaler::ScalingRules& rules, int current, TimeMs now) const {
  int changed = 0;
  for (const auto& e : events_)
    if (e.at > now - rules.period_seconds * TimeMs(1000)) changed += e.change;
  return current - changed;
}

int HpaModel::scale_up_limit(int current, TimeMs now) const {
  // selectPolicy Max: the policy allowing the most replicas wins.
  const int base = period_start(up_, current, now);
  int limit = INT_MIN;
  if (up_.pods_per_period) limit = std::max(limit, base + *up_.pods_per_period);
  if (up_.percent_per_period) limit = std::max(limit, int(std::ceil(base * (1.0 + *up_.percent_per_period / 100.0))));
  return limit == INT_MIN ? current : limit;
}

int HpaModel::scale_down_limit(int current, TimeMs now) const {
  const int base = period_start(down_, current, now);
  int limit = INT_MAX;
  if (down_.pods_per_period) limit = std::min(limit, base - *down_.pods_per_period);
  if (down_.percent_per_period)
    limit = std::min(limit, int(base * (1.0 - *down_.percent_per_period / 100.0)));  // Go's int32(): truncates
  return limit == INT_MAX ? current : limit;
}

int HpaModel::sync(TimeMs now, double metric, int current) {
  if (recommendations_.empty()) recommendations_.emplace_back(now, current);  // recordInitialRecommendation
  if (current == 0) return 0;  // ScalingDisabled: the HPA neither scales from zero nor to it
  int desired;
  if (current > max_) {
    desired = max_;
  } else if (current < min_) {
    desired = min_;
  } else {
    const int rec = autoscaler::hpa_recommendation(metric, target_, current, min_, max_);

    // stabilizeRecommendationWithBehaviors: up to the lowest recommendation of
    // the up window, down to the highest of the down window.
    int up = rec, down = rec;
    for (const auto& [at, r] : recommendations_) {
      if (at > now - up_.stabilization_window_seconds * TimeMs(1000)) up = std::min(up, r);
      if (at > now - down_.stabilization_window_seconds * TimeMs(1000)) down = std::max(down, r);
    }
    int stabilized = current;
    if (stabilized < up) stabilized = up;
    if (stabilized > down) stabilized = down;
    recommendations_.emplace_back(now, rec);
    const TimeMs keep = std::max(up_.stabilization_window_seconds, down_.stabilization_window_seconds) * TimeMs(1000);
    while (!recommendations_.empty() && recommendations_.front().first < now - keep) recommendations_.pop_front();

    // convertDesiredReplicasWithBehaviorRate.
    desired = stabilized;
    if (stabilized > current) {
      const int limit = std::max(scale_up_limit(current, now), current);
      desired = std::min(stabilized, std::min(max_, limit));
    } else if (stabilized < current) {
      const int limit = std::min(scale_down_limit(current, now), current);
      desired = std::max(stabilized, std::max(min_, limit));
    }
  }
  if (desired != current) events_.push_back({now, desired - current});
  const TimeMs period = std::max(up_.period_seconds, down_.period_seconds) * TimeMs(1000);
  while (!events_.empty() && events_.front().at <= now - period) events_.pop_front();
  return desired;
}

}  // namespace sluice::bench
