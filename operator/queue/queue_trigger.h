#pragma once
// The `queue` trigger of a WorkerAutoscaler: scale on a Queue's backlog, its
// visible messages, plus those in flight and delayed when the trigger says so.

#include <cstdint>

#include "operator/autoscaler/trigger.h"

namespace sluice::queue_trigger {

const autoscaler::TriggerKind& queue_trigger();

struct Depth {
  uint64_t visible = 0;
  uint64_t in_flight = 0;
  uint64_t delayed = 0;
};

// What a queue's depth counts as for a trigger with these options.
autoscaler::Reading reading(const Depth& depth, const nlohmann::json& options);

}  // namespace sluice::queue_trigger
