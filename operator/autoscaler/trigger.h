#pragma once
// Triggers of a WorkerAutoscaler: each entry of spec.triggers[] names one kind of
// metric source by its key (today `queue`: a Queue's backlog; next `stream`: a
// consumer's lag), with the target-tracking settings every trigger has and the
// source's own. A TriggerKind declares a source's fields; a MetricSource reads it
// at each poll. The lists of both are operator/kinds.cc and operator/sources.cc.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "runtime/common/resource.h"

namespace sluice::autoscaler {

// What one trigger says, parsed.
struct Trigger {
  std::string source;                     // the key of its entry: "queue"
  std::string name;                       // the resource it reads, in the autoscaler's namespace
  double target_backlog_per_replica = 0;  // given, or acceptableLatencySeconds / secondsPerMessage
  int64_t activation_backlog = 0;         // 0 -> 1 once the backlog exceeds this
  // Optional scale-in floor: keep ceil(in flight / this) replicas. Replicas busy
  // with work are capacity the backlog alone does not show once they keep up.
  std::optional<double> target_in_flight_per_replica;
  nlohmann::json options = nlohmann::json::object();  // the source's own fields, as given
};

// What a source reports at a poll.
struct Reading {
  double backlog = 0;    // what the trigger counts: the metric target tracking divides
  double waiting = 0;    // work not started (a queue's visible messages)
  double in_flight = 0;  // work being done (received, not yet deleted)
};

struct TriggerKind {
  std::string key;          // "queue"
  std::string doc;          // what it scales on
  resource::Fields fields;  // its own fields, besides the ones every trigger has
};

// The schema of one trigger entry of this kind: name, the target-tracking fields
// every trigger has, and the kind's own.
resource::Field trigger_field(const TriggerKind& kind);

class MetricSource {
 public:
  virtual ~MetricSource() = default;
  // nullopt: the read failed (the autoscaler holds, then falls back).
  virtual std::optional<Reading> read(const std::string& ns, const Trigger& trigger) = 0;
};

}  // namespace sluice::autoscaler
