#include "operator/queue/queue_trigger.h"

namespace sluice::queue_trigger {

using resource::Field;

const autoscaler::TriggerKind& queue_trigger() {
  static const autoscaler::TriggerKind kind = [] {
    Field in_flight{"includeInFlight", Field::Type::boolean, "Count received, not yet deleted messages."};
    in_flight.default_value = true;
    Field delayed{"includeDelayed", Field::Type::boolean, "Count delayed messages."};
    delayed.default_value = false;
    return autoscaler::TriggerKind{
        "queue", "Scale on the backlog of a Queue in the same namespace.", {in_flight, delayed}};
  }();
  return kind;
}

autoscaler::Reading reading(const Depth& d, const nlohmann::json& options) {
  const bool in_flight = options.value("includeInFlight", true);
  const bool delayed = options.value("includeDelayed", false);
  return {double(d.visible) + (in_flight ? double(d.in_flight) : 0.0) + (delayed ? double(d.delayed) : 0.0),
          double(d.visible), double(d.in_flight)};
}

}  // namespace sluice::queue_trigger
