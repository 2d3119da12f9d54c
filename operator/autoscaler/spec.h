#pragma once
// The WorkerAutoscaler resource: its kind definition (fields with the HPA's and
// KEDA's defaults where they exist, bounds and rules, from which tools/crdgen
// writes the CRD) and the typed spec the autoscaler runs on. The triggers'
// fields come from the trigger kinds the operator knows (trigger.h).

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "operator/autoscaler/trigger.h"
#include "runtime/common/resource.h"

namespace sluice::autoscaler {

struct ScalingRules {
  int stabilization_window_seconds = 0;
  std::optional<int> pods_per_period;
  std::optional<int> percent_per_period;
  int period_seconds = 15;
};

struct Behavior {
  int polling_interval_seconds = 15;
  ScalingRules scale_up{0, 4, 100, 15};                 // HPA: max(+4 pods, +100%) per 15 s
  ScalingRules scale_down{300, std::nullopt, 100, 15};  // HPA: 300 s window, -100% per 15 s
  int scale_to_zero_cooldown_seconds = 300;             // KEDA's cooldownPeriod
};

struct Fallback {
  int failure_threshold = 3;
  int replicas = 1;
};

struct ScaleTarget {
  std::string api_version = "apps/v1";
  std::string kind = "Deployment";
  std::string name;
};

struct Spec {
  ScaleTarget target;
  int min_replicas = 0;
  int max_replicas = 1;
  std::vector<Trigger> triggers;
  Behavior behavior;
  std::optional<Fallback> fallback;
};

using resource::SpecError;

const resource::KindDef& workerautoscaler_kind(std::span<const TriggerKind* const> triggers);

// Validates a spec against the kind and reads it. Errors name their field.
Spec parse_spec(const resource::KindDef& kind, const nlohmann::json& spec, std::vector<SpecError>& errors);

}  // namespace sluice::autoscaler
