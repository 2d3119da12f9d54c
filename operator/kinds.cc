#include "operator/kinds.h"

#include <array>

#include "operator/autoscaler/spec.h"
#include "operator/queue/queue_trigger.h"
#include "runtime/queue/spec.h"
#include "runtime/stream/spec.h"
#include "runtime/topic/spec.h"

namespace sluice::operator_kinds {

std::span<const resource::KindDef* const> hosted_kinds() {
  static const std::array<const resource::KindDef*, 4> kKinds = {&queue::queue_kind(), &topic::topic_kind(),
                                                                 &topic::subscription_kind(), &stream::stream_kind()};
  return kKinds;
}

std::span<const autoscaler::TriggerKind* const> trigger_kinds() {
  static const std::array<const autoscaler::TriggerKind*, 1> kTriggers = {&queue_trigger::queue_trigger()};
  return kTriggers;
}

const resource::KindDef& workerautoscaler() { return autoscaler::workerautoscaler_kind(trigger_kinds()); }

std::vector<const resource::KindDef*> all_kinds() {
  std::vector<const resource::KindDef*> kinds(hosted_kinds().begin(), hosted_kinds().end());
  kinds.push_back(&workerautoscaler());
  return kinds;
}

}  // namespace sluice::operator_kinds
