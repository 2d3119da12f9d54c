#pragma once
// The WorkerAutoscaler resource's spec, typed, with its defaults (those of the
// HPA and KEDA where they exist) and its validation. The CRD
// (crds/workerautoscalers.sluice.io.yaml) is generated from the same table
// (tools/crdgen), so the API server and the operator agree on every bound.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sluice::autoscaler {

struct QueueTrigger {
  std::string queue;                   // a Queue resource in the autoscaler's namespace
  double target_backlog_per_replica = 0;  // given, or acceptableLatencySeconds / secondsPerMessage
  int64_t activation_backlog = 0;      // 0 -> 1 once the backlog exceeds this
  bool include_in_flight = true;
  bool include_delayed = false;
  // Optional scale-in floor: keep ceil(in flight / this) replicas. Replicas busy
  // with messages are capacity the backlog alone does not show once they keep up.
  std::optional<double> target_in_flight_per_replica;
};

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
  std::vector<QueueTrigger> triggers;
  Behavior behavior;
  std::optional<Fallback> fallback;
};

struct SpecError {
  std::string field;
  std::string message;
  std::string str() const { return field + ": " + message; }
};

// Parses spec from the resource's JSON (as the API server returns it, after
// its defaulting). Errors name their field.
Spec parse_spec(const nlohmann::json& spec, std::vector<SpecError>& errors);

// The OpenAPI v3 schema of `spec` (for the CRD generator).
nlohmann::json spec_schema();

}  // namespace sluice::autoscaler
