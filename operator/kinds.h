#pragma once
// The registries of the operator: the kinds the runtime pods serve, and the
// kinds of WorkerAutoscaler trigger. Adding a hosted kind or a trigger is a row
// in kinds.cc (and a metric source in sources.cc).

#include <span>
#include <vector>

#include "operator/autoscaler/trigger.h"
#include "runtime/common/resource.h"

namespace sluice::operator_kinds {

std::span<const resource::KindDef* const> hosted_kinds();
std::span<const autoscaler::TriggerKind* const> trigger_kinds();
const resource::KindDef& workerautoscaler();
// Every kind the operator watches: the hosted ones, then WorkerAutoscaler.
std::vector<const resource::KindDef*> all_kinds();

}  // namespace sluice::operator_kinds
