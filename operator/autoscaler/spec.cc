#include "operator/autoscaler/spec.h"

namespace sluice::autoscaler {
namespace {

using resource::Field;
using resource::json;
using Type = Field::Type;

Field int_field(const char* name, int64_t min, int64_t max, const char* doc, std::optional<int> def = std::nullopt) {
  Field f{name, Type::integer, doc, min, max};
  if (def) f.default_value = *def;
  return f;
}

Field positive_number(const char* name, const char* doc) {
  Field f{name, Type::number, doc, 0};
  f.exclusive_minimum = true;
  return f;
}

Field rules_field(const char* name, const ScalingRules& d, const char* doc) {
  Field f{name, Type::object, doc};
  f.fields = {
      int_field("stabilizationWindowSeconds", 0, 3600,
                "Scale only to the lowest (up) or highest (down) recommendation seen in this window.",
                d.stabilization_window_seconds),
      int_field("podsPerPeriod", 1, 1000, "At most this many pods added or removed per period."),
      int_field("percentPerPeriod", 1, 1000, "At most this percentage of the replicas added or removed per period."),
      int_field("periodSeconds", 1, 1800, "Length of the period the limits apply to.", d.period_seconds)};
  return f;
}

bool has(const json& o, const char* k) { return o.is_object() && o.contains(k) && !o[k].is_null(); }

resource::KindDef make_kind(std::span<const TriggerKind* const> triggers) {
  const Behavior b;
  const Fallback fb;
  resource::KindDef k;
  k.kind = "WorkerAutoscaler";
  k.plural = "workerautoscalers";
  k.singular = "workerautoscaler";
  k.short_names = {"wa"};
  k.hosted = false;
  k.description =
      "Scales a workload from queue backlog, like an Auto Scaling group's target-tracking policy (backlog per "
      "replica), down to zero.";
  k.conditions_doc = "Ready (polling works), Active (a backlog above its activation threshold), Fallback.";

  Field target{"scaleTargetRef", Type::object,
               "What to scale: any resource with a /scale subresource (Deployment, StatefulSet)."};
  target.required = true;
  Field api{"apiVersion", Type::string, "The target's API version."};
  api.default_value = ScaleTarget{}.api_version;
  Field kind{"kind", Type::string, "The target's kind."};
  kind.default_value = ScaleTarget{}.kind;
  Field name{"name", Type::string, "The target's name."};
  name.required = true;
  target.fields = {api, kind, name};

  Field list{"triggers", Type::list, "Each trigger recommends a replica count; the largest wins."};
  list.min = 1;
  list.required = true;
  Field item{"", Type::object, "One trigger: exactly one source."};
  std::string keys;
  for (const TriggerKind* t : triggers) {
    item.fields.push_back(trigger_field(*t));
    keys += (keys.empty() ? "" : ", ") + t->key;
  }
  if (triggers.size() == 1) {
    item.fields[0].required = true;
  } else {
    std::string cel = "[";
    for (size_t i = 0; i < triggers.size(); ++i)
      cel += (i ? ", " : "") + std::string("has(self.") + triggers[i]->key + ")";
    cel += "].filter(x, x).size() == 1";
    item.rules.push_back(
        {cel, "a trigger names exactly one of: " + keys, "", [triggers](const json& self, std::string_view) {
           int n = 0;
           for (const TriggerKind* t : triggers) n += self.contains(t->key);
           return n == 1;
         }});
  }
  list.items = {item};

  Field behavior{"behavior", Type::object, "How fast to scale, and when to poll."};
  behavior.fields = {
      int_field("pollingIntervalSeconds", 1, 3600, "Seconds between metric reads.", b.polling_interval_seconds),
      rules_field("scaleUp", b.scale_up, "Scale-up limits (default: no window; max of +4 pods and +100% per 15 s)."),
      rules_field("scaleDown", b.scale_down, "Scale-down limits (default: 300 s window; -100% per 15 s)."),
      int_field("scaleToZeroCooldownSeconds", 0, 86400,
                "Seconds with nothing visible or in flight before going from 1 replica to 0.",
                b.scale_to_zero_cooldown_seconds)};
  Field fallback{"fallback", Type::object, "Replicas to run when the backlog cannot be read."};
  fallback.fields = {int_field("failureThreshold", 1, 100, "Consecutive failed metric reads before the fallback.",
                               fb.failure_threshold),
                     int_field("replicas", 0, 10000, "Replicas while metrics are unavailable.", fb.replicas)};

  Field max{"maxReplicas", Type::integer, "Most replicas.", 1, 10000};
  max.required = true;
  k.spec = {target,   int_field("minReplicas", 0, 10000, "Fewest replicas; 0 allows scaling to zero.", 0),
            max,      list,
            behavior, fallback};
  k.spec_rules.push_back(
      {"self.minReplicas <= self.maxReplicas", "minReplicas must not exceed maxReplicas", "minReplicas",
       [](const json& s, std::string_view) { return s.value("minReplicas", 0) <= s.value("maxReplicas", 1); }});

  k.status = {
      int_field("currentReplicas", 0, 100000, "Replicas of the target after the last poll."),
      int_field("desiredReplicas", 0, 100000, "Replicas the last poll asked for."),
      int_field("readyReplicas", 0, 100000, "Ready pods of the target (its capacity)."),
      Field{"backlog", Type::integer, "The backlog acted on at the last poll."},
      Field{"backlogPerReplica", Type::integer, "backlog / ready replicas."},
      Field{"lastActiveTime", Type::string, "Last time a backlog was above its activation threshold."},
      Field{"lastScaleTime", Type::string, "Time of the last scale."},
      Field{"lastScaleReason", Type::string, "Why it last scaled."},
  };
  for (auto& f : k.status)
    if (f.name == "lastActiveTime" || f.name == "lastScaleTime") f.format = "date-time";
  k.columns = {
      {"Target", "string", ".spec.scaleTargetRef.name", "The scaled workload"},
      {"Min", "integer", ".spec.minReplicas", "Fewest replicas"},
      {"Max", "integer", ".spec.maxReplicas", "Most replicas"},
      {"Replicas", "integer", ".status.currentReplicas", "Current replicas"},
      {"Desired", "integer", ".status.desiredReplicas", "Replicas the last poll asked for"},
      {"Backlog", "integer", ".status.backlog", "Backlog at the last poll"},
      {"Active", "string", ".status.conditions[?(@.type==\"Active\")].status", "Backlog above activation"},
      {"Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Polling works"},
      {"Age", "date", ".metadata.creationTimestamp", "Age"},
      {"Ready-Pods", "integer", ".status.readyReplicas", "Ready pods", 1},
      {"Per-Replica", "integer", ".status.backlogPerReplica", "Backlog per ready replica", 1},
      {"Fallback", "string", ".status.conditions[?(@.type==\"Fallback\")].status", "Metrics unavailable", 1},
      {"Last-Active", "date", ".status.lastActiveTime", "Last time a backlog was above activation", 1},
      {"Last-Scale", "date", ".status.lastScaleTime", "Time of the last scale", 1},
      {"Reason", "string", ".status.lastScaleReason", "Why it last scaled", 1},
  };
  return k;
}

void read_rules(const json& obj, ScalingRules& rules) {
  if (!obj.is_object()) return;
  rules.stabilization_window_seconds = obj.value("stabilizationWindowSeconds", rules.stabilization_window_seconds);
  // Naming any policy replaces the default policies.
  if (has(obj, "podsPerPeriod") || has(obj, "percentPerPeriod")) {
    rules.pods_per_period.reset();
    rules.percent_per_period.reset();
  }
  if (has(obj, "podsPerPeriod")) rules.pods_per_period = obj["podsPerPeriod"].get<int>();
  if (has(obj, "percentPerPeriod")) rules.percent_per_period = obj["percentPerPeriod"].get<int>();
  rules.period_seconds = obj.value("periodSeconds", rules.period_seconds);
}

}  // namespace

Field trigger_field(const TriggerKind& kind) {
  Field f{kind.key, Type::object, kind.doc};
  Field name{"name", Type::string, "The resource's name (metadata.name), in the autoscaler's namespace."};
  name.required = true;
  Field activation{"activationBacklog", Type::integer, "Go from 0 to 1 replica once the backlog exceeds this.", 0};
  activation.default_value = 0;
  f.fields = {
      name,
      positive_number("targetBacklogPerReplica",
                      "Work one replica should have waiting (the target of target tracking)."),
      positive_number("acceptableLatencySeconds",
                      "With secondsPerMessage instead of targetBacklogPerReplica: AWS's recipe, target = "
                      "acceptableLatencySeconds / secondsPerMessage."),
      positive_number("secondsPerMessage", "Average time one replica spends on one message."),
      activation,
      positive_number("targetInFlightPerReplica",
                      "Optional scale-in floor: never fewer than in-flight work / this many replicas (set it to "
                      "what one replica works on at once).")};
  for (const auto& own : kind.fields) f.fields.push_back(own);
  f.rules.push_back(
      {"has(self.targetBacklogPerReplica) != (has(self.acceptableLatencySeconds) && "
       "has(self.secondsPerMessage))",
       "set either targetBacklogPerReplica, or acceptableLatencySeconds with secondsPerMessage",
       "targetBacklogPerReplica", [](const json& t, std::string_view) {
         return has(t, "targetBacklogPerReplica") !=
                (has(t, "acceptableLatencySeconds") && has(t, "secondsPerMessage"));
       }});
  return f;
}

const resource::KindDef& workerautoscaler_kind(std::span<const TriggerKind* const> triggers) {
  static const resource::KindDef kind = make_kind(triggers);
  return kind;
}

Spec parse_spec(const resource::KindDef& kind, const json& spec, std::vector<SpecError>& errors) {
  Spec out;
  auto invalid = resource::validate(kind, spec, "");
  if (!invalid.empty()) {
    errors.insert(errors.end(), invalid.begin(), invalid.end());
    return out;
  }
  const json target = spec.value("scaleTargetRef", json::object());
  out.target.api_version = target.value("apiVersion", out.target.api_version);
  out.target.kind = target.value("kind", out.target.kind);
  out.target.name = target.value("name", "");
  out.min_replicas = spec.value("minReplicas", out.min_replicas);
  out.max_replicas = spec.value("maxReplicas", out.max_replicas);
  for (const auto& entry : spec.value("triggers", json::array())) {
    const auto& [source, t] = *entry.items().begin();
    Trigger trigger;
    trigger.source = source;
    trigger.name = t.value("name", "");
    // AWS's recipe: the backlog one instance can work off within the acceptable latency.
    trigger.target_backlog_per_replica =
        has(t, "targetBacklogPerReplica")
            ? t["targetBacklogPerReplica"].get<double>()
            : t["acceptableLatencySeconds"].get<double>() / t["secondsPerMessage"].get<double>();
    trigger.activation_backlog = t.value("activationBacklog", int64_t(0));
    if (has(t, "targetInFlightPerReplica"))
      trigger.target_in_flight_per_replica = t["targetInFlightPerReplica"].get<double>();
    trigger.options = t;
    out.triggers.push_back(std::move(trigger));
  }
  if (has(spec, "behavior")) {
    const json& b = spec["behavior"];
    out.behavior.polling_interval_seconds = b.value("pollingIntervalSeconds", out.behavior.polling_interval_seconds);
    out.behavior.scale_to_zero_cooldown_seconds =
        b.value("scaleToZeroCooldownSeconds", out.behavior.scale_to_zero_cooldown_seconds);
    if (has(b, "scaleUp")) read_rules(b["scaleUp"], out.behavior.scale_up);
    if (has(b, "scaleDown")) read_rules(b["scaleDown"], out.behavior.scale_down);
  }
  if (has(spec, "fallback")) {
    Fallback f;
    f.failure_threshold = spec["fallback"].value("failureThreshold", f.failure_threshold);
    f.replicas = spec["fallback"].value("replicas", f.replicas);
    out.fallback = f;
  }
  return out;
}

}  // namespace sluice::autoscaler
