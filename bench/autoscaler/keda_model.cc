#include "bench/autoscaler/keda_model.h"

#include <algorithm>

namespace sluice::bench {

int KedaModel::poll(autoscaler::TimeMs now, double metric, int current) {
  const bool active = metric > s_.activation_queue_length;
  if (active) last_active_ = now;
  if (current == 0 && active) return std::max(s_.min_replica_count, 1);
  if (!active && current > 0 && s_.min_replica_count == 0) {
    const autoscaler::TimeMs cooldown = s_.cooldown_period_seconds * autoscaler::TimeMs(1000);
    if (!last_active_ || *last_active_ + cooldown < now) return 0;  // from any N: the HPA's policy is bypassed
  }
  return current;
}

}  // namespace sluice::bench
