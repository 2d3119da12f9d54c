#include "operator/autoscaler/spec.h"

#include <cmath>

namespace sluice::autoscaler {
namespace {

using json = nlohmann::json;

struct IntField {
  const char* name;
  int min;
  int max;
  const char* doc;
};

// Bounds shared by the parser and the schema.
constexpr IntField kPolling{"pollingIntervalSeconds", 1, 3600, "Seconds between metric reads."};
constexpr IntField kWindow{"stabilizationWindowSeconds", 0, 3600,
                           "Scale only to the lowest (up) or highest (down) recommendation seen in this window."};
constexpr IntField kPods{"podsPerPeriod", 1, 1000, "At most this many pods added or removed per period."};
constexpr IntField kPercent{"percentPerPeriod", 1, 1000, "At most this percentage of the replicas added or removed per period."};
constexpr IntField kPeriod{"periodSeconds", 1, 1800, "Length of the period the limits apply to."};
constexpr IntField kCooldown{"scaleToZeroCooldownSeconds", 0, 86400,
                             "Seconds with nothing visible or in flight before going from 1 replica to 0."};
constexpr IntField kMinReplicas{"minReplicas", 0, 10000, "Fewest replicas; 0 allows scaling to zero."};
constexpr IntField kMaxReplicas{"maxReplicas", 1, 10000, "Most replicas."};
constexpr IntField kThreshold{"failureThreshold", 1, 100, "Consecutive failed metric reads before the fallback."};
constexpr IntField kFallbackReplicas{"replicas", 0, 10000, "Replicas while metrics are unavailable."};

class Reader {
 public:
  Reader(std::vector<SpecError>& errors) : errors_(errors) {}

  void integer(const json& obj, const std::string& path, const IntField& f, int& out) {
    auto it = obj.find(f.name);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_number_integer() || it->get<int64_t>() < f.min || it->get<int64_t>() > f.max) {
      error(path + f.name, "must be an integer from " + std::to_string(f.min) + " to " + std::to_string(f.max));
      return;
    }
    out = it->get<int>();
  }
  void optional_integer(const json& obj, const std::string& path, const IntField& f, std::optional<int>& out) {
    if (!obj.contains(f.name) || obj[f.name].is_null()) return;
    int v = 0;
    size_t before = errors_.size();
    integer(obj, path, f, v);
    if (errors_.size() == before) out = v;
  }
  void boolean(const json& obj, const std::string& path, const char* name, bool& out) {
    auto it = obj.find(name);
    if (it == obj.end() || it->is_null()) return;
    if (!it->is_boolean()) return error(path + name, "must be a boolean");
    out = it->get<bool>();
  }
  void error(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }

 private:
  std::vector<SpecError>& errors_;
};

void parse_rules(Reader& r, const json& obj, const std::string& path, ScalingRules& rules) {
  if (!obj.is_object()) return r.error(path, "must be an object");
  r.integer(obj, path + ".", kWindow, rules.stabilization_window_seconds);
  // Naming any policy replaces the default policies.
  if (obj.contains("podsPerPeriod") || obj.contains("percentPerPeriod")) {
    rules.pods_per_period.reset();
    rules.percent_per_period.reset();
  }
  r.optional_integer(obj, path + ".", kPods, rules.pods_per_period);
  r.optional_integer(obj, path + ".", kPercent, rules.percent_per_period);
  r.integer(obj, path + ".", kPeriod, rules.period_seconds);
}

json int_schema(const IntField& f, std::optional<int> def = std::nullopt) {
  json s = {{"type", "integer"}, {"minimum", f.min}, {"maximum", f.max}, {"description", f.doc}};
  if (def) s["default"] = *def;
  return s;
}

json rules_schema(const ScalingRules& defaults, const char* doc) {
  json props = {{kWindow.name, int_schema(kWindow, defaults.stabilization_window_seconds)},
                {kPods.name, int_schema(kPods)},
                {kPercent.name, int_schema(kPercent)},
                {kPeriod.name, int_schema(kPeriod, defaults.period_seconds)}};
  return {{"type", "object"}, {"description", doc}, {"properties", props}};
}

}  // namespace

Spec parse_spec(const json& spec, std::vector<SpecError>& errors) {
  Spec out;
  Reader r(errors);
  if (!spec.is_object()) {
    r.error("spec", "must be an object");
    return out;
  }
  const json target = spec.value("scaleTargetRef", json::object());
  out.target.api_version = target.value("apiVersion", "apps/v1");
  out.target.kind = target.value("kind", "Deployment");
  out.target.name = target.value("name", "");
  if (out.target.name.empty()) r.error("spec.scaleTargetRef.name", "is required");
  r.integer(spec, "spec.", kMinReplicas, out.min_replicas);
  if (!spec.contains("maxReplicas")) r.error("spec.maxReplicas", "is required");
  r.integer(spec, "spec.", kMaxReplicas, out.max_replicas);
  if (out.min_replicas > out.max_replicas) r.error("spec.minReplicas", "must not exceed maxReplicas");

  const json triggers = spec.value("triggers", json::array());
  if (!triggers.is_array() || triggers.empty()) r.error("spec.triggers", "needs at least one trigger");
  for (size_t i = 0; triggers.is_array() && i < triggers.size(); ++i) {
    const std::string path = "spec.triggers[" + std::to_string(i) + "]";
    const json& t = triggers[i];
    if (!t.is_object() || !t.contains("queue")) {
      r.error(path, "must have one trigger kind (queue)");
      continue;
    }
    const json& q = t["queue"];
    const std::string qp = path + ".queue.";
    QueueTrigger trigger;
    trigger.queue = q.value("name", "");
    if (trigger.queue.empty()) r.error(qp + "name", "is required");
    const bool has_target = q.contains("targetBacklogPerReplica");
    const bool has_latency = q.contains("acceptableLatencySeconds") || q.contains("secondsPerMessage");
    if (has_target == has_latency) {
      r.error(qp + "targetBacklogPerReplica",
              "set either targetBacklogPerReplica, or acceptableLatencySeconds with secondsPerMessage");
    } else if (has_target) {
      const json& v = q["targetBacklogPerReplica"];
      if (!v.is_number() || v.get<double>() <= 0) {
        r.error(qp + "targetBacklogPerReplica", "must be a number greater than 0");
      } else {
        trigger.target_backlog_per_replica = v.get<double>();
      }
    } else {
      const json latency = q.value("acceptableLatencySeconds", json());
      const json per = q.value("secondsPerMessage", json());
      if (!latency.is_number() || latency.get<double>() <= 0 || !per.is_number() || per.get<double>() <= 0) {
        r.error(qp + "acceptableLatencySeconds", "acceptableLatencySeconds and secondsPerMessage must both be numbers greater than 0");
      } else {
        // AWS's recipe: the backlog one instance can work off within the acceptable latency.
        trigger.target_backlog_per_replica = latency.get<double>() / per.get<double>();
      }
    }
    if (q.contains("activationBacklog")) {
      const json& a = q["activationBacklog"];
      if (!a.is_number_integer() || a.get<int64_t>() < 0) {
        r.error(qp + "activationBacklog", "must be an integer of at least 0");
      } else {
        trigger.activation_backlog = a.get<int64_t>();
      }
    }
    if (q.contains("targetInFlightPerReplica")) {
      const json& v = q["targetInFlightPerReplica"];
      if (!v.is_number() || v.get<double>() <= 0) {
        r.error(qp + "targetInFlightPerReplica", "must be a number greater than 0");
      } else {
        trigger.target_in_flight_per_replica = v.get<double>();
      }
    }
    r.boolean(q, qp, "includeInFlight", trigger.include_in_flight);
    r.boolean(q, qp, "includeDelayed", trigger.include_delayed);
    out.triggers.push_back(std::move(trigger));
  }

  if (spec.contains("behavior")) {
    const json& b = spec["behavior"];
    if (!b.is_object()) {
      r.error("spec.behavior", "must be an object");
    } else {
      r.integer(b, "spec.behavior.", kPolling, out.behavior.polling_interval_seconds);
      r.integer(b, "spec.behavior.", kCooldown, out.behavior.scale_to_zero_cooldown_seconds);
      if (b.contains("scaleUp")) parse_rules(r, b["scaleUp"], "spec.behavior.scaleUp", out.behavior.scale_up);
      if (b.contains("scaleDown")) parse_rules(r, b["scaleDown"], "spec.behavior.scaleDown", out.behavior.scale_down);
    }
  }
  if (spec.contains("fallback") && !spec["fallback"].is_null()) {
    Fallback f;
    r.integer(spec["fallback"], "spec.fallback.", kThreshold, f.failure_threshold);
    r.integer(spec["fallback"], "spec.fallback.", kFallbackReplicas, f.replicas);
    out.fallback = f;
  }
  return out;
}

json spec_schema() {
  const Behavior d;
  json queue_trigger = {
      {"type", "object"},
      {"required", {"name"}},
      {"description", "Scale on the backlog of a Queue in the same namespace."},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "The Queue resource's name (metadata.name)."}}},
        {"targetBacklogPerReplica",
         {{"type", "number"}, {"exclusiveMinimum", true}, {"minimum", 0},
          {"description", "Messages one replica should have waiting (the target of target tracking)."}}},
        {"acceptableLatencySeconds",
         {{"type", "number"}, {"exclusiveMinimum", true}, {"minimum", 0},
          {"description", "With secondsPerMessage instead of targetBacklogPerReplica: AWS's recipe, target = "
                          "acceptableLatencySeconds / secondsPerMessage."}}},
        {"secondsPerMessage",
         {{"type", "number"}, {"exclusiveMinimum", true}, {"minimum", 0},
          {"description", "Average time one replica spends on one message."}}},
        {"activationBacklog",
         {{"type", "integer"}, {"minimum", 0}, {"default", 0},
          {"description", "Go from 0 to 1 replica once the backlog exceeds this."}}},
        {"targetInFlightPerReplica",
         {{"type", "number"}, {"exclusiveMinimum", true}, {"minimum", 0},
          {"description", "Optional scale-in floor: never fewer than in-flight messages / this many replicas "
                          "(set it to the messages one replica works on at once)."}}},
        {"includeInFlight",
         {{"type", "boolean"}, {"default", true}, {"description", "Count received, not yet deleted messages."}}},
        {"includeDelayed",
         {{"type", "boolean"}, {"default", false}, {"description", "Count delayed messages."}}}}},
      {"x-kubernetes-validations",
       {{{"rule", "has(self.targetBacklogPerReplica) != (has(self.acceptableLatencySeconds) && has(self.secondsPerMessage))"},
         {"message", "set either targetBacklogPerReplica, or acceptableLatencySeconds with secondsPerMessage"}}}}};
  json props = {
      {"scaleTargetRef",
       {{"type", "object"},
        {"required", {"name"}},
        {"description", "What to scale: any resource with a /scale subresource (Deployment, StatefulSet)."},
        {"properties",
         {{"apiVersion", {{"type", "string"}, {"default", "apps/v1"}}},
          {"kind", {{"type", "string"}, {"default", "Deployment"}}},
          {"name", {{"type", "string"}}}}}}},
      {kMinReplicas.name, int_schema(kMinReplicas, 0)},
      {kMaxReplicas.name, int_schema(kMaxReplicas)},
      {"triggers",
       {{"type", "array"},
        {"minItems", 1},
        {"description", "Each trigger recommends a replica count; the largest wins."},
        {"items", {{"type", "object"}, {"properties", {{"queue", queue_trigger}}}, {"required", {"queue"}}}}}},
      {"behavior",
       {{"type", "object"},
        {"properties",
         {{kPolling.name, int_schema(kPolling, d.polling_interval_seconds)},
          {"scaleUp", rules_schema(d.scale_up, "Scale-up limits (default: no window; max of +4 pods and +100% per 15 s).")},
          {"scaleDown", rules_schema(d.scale_down, "Scale-down limits (default: 300 s window; -100% per 15 s).")},
          {kCooldown.name, int_schema(kCooldown, d.scale_to_zero_cooldown_seconds)}}}}},
      {"fallback",
       {{"type", "object"},
        {"description", "Replicas to run when the backlog cannot be read."},
        {"properties",
         {{kThreshold.name, int_schema(kThreshold, 3)}, {kFallbackReplicas.name, int_schema(kFallbackReplicas, 1)}}}}}};
  return {{"type", "object"},
          {"required", {"scaleTargetRef", "maxReplicas", "triggers"}},
          {"properties", props},
          {"x-kubernetes-validations",
           {{{"rule", "self.minReplicas <= self.maxReplicas"}, {"message", "minReplicas must not exceed maxReplicas"}}}}};
}

}  // namespace sluice::autoscaler
