#include "operator/autoscaler/workerautoscaler_adapter.h"

#include <algorithm>
#include <cctype>

#include "operator/controller/object_meta.h"

namespace sluice::autoscaler {

using controller::json;
using controller::Outcome;
using controller::ReconcileResult;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

kube::ResourceType scale_target_type(const std::string& api_version, const std::string& kind) {
  auto slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  std::string plural = kind;
  std::transform(plural.begin(), plural.end(), plural.begin(), [](unsigned char c) { return std::tolower(c); });
  plural += plural.back() == 's' ? "es" : "s";  // Deployment -> deployments, StatefulSet -> statefulsets
  return {group, version, plural, kind, true};
}

WorkerAutoscalerAdapter::WorkerAutoscalerAdapter(const resource::KindDef& kind, kube::KubeClient& client,
                                                 controller::EventRecorder& events,
                                                 std::map<std::string, MetricSource*> sources, GaugeSink gauges)
    : kind_(kind), client_(client), events_(events), sources_(std::move(sources)), gauges_(std::move(gauges)) {}

TargetTracker& WorkerAutoscalerAdapter::tracker(const std::string& key, int64_t now) {
  std::lock_guard lock(mu_);
  auto& slot = trackers_[key];
  if (!slot) slot = std::make_unique<TargetTracker>(now);
  return *slot;
}

void WorkerAutoscalerAdapter::forget(const std::string& key) {
  std::lock_guard lock(mu_);
  trackers_.erase(key);
  last_poll_.erase(key);
}

Outcome WorkerAutoscalerAdapter::apply(const json& wa, json& status) {
  const std::string ns = controller::namespace_of(wa);
  const std::string name = controller::name_of(wa);
  const std::string key = ns + "/" + name;
  const int64_t generation = controller::generation_of(wa);
  std::vector<SpecError> errors;
  const Spec spec = parse_spec(kind_, wa.value("spec", json::object()), errors);
  if (!errors.empty()) return Outcome::not_ready("InvalidSpec", resource::describe(errors), ReconcileResult::done());
  const auto poll_ms = int64_t(spec.behavior.polling_interval_seconds) * 1000;
  // One read per polling interval, however often the key comes round (resyncs,
  // spec edits): the tracker's windows and failure counts are per poll.
  {
    std::lock_guard lock(mu_);
    auto& last = last_poll_[key];
    const int64_t now = now_ms();
    if (last.generation == generation && now - last.at < poll_ms - 50) {
      Outcome wait;
      wait.keep_status = true;
      wait.then = ReconcileResult::after(std::chrono::milliseconds(last.at + poll_ms - now));
      return wait;
    }
    last = {now, generation};
  }
  const auto poll = ReconcileResult::after(std::chrono::milliseconds(poll_ms));

  // The target: its replicas through /scale, its ready pods from its status.
  const kube::ResourceType target = scale_target_type(spec.target.api_version, spec.target.kind);
  const std::string target_path = target.object_path(ns, spec.target.name);
  auto scale = client_.get(target_path + "/scale");
  if (!scale.ok())
    return Outcome::not_ready("TargetNotFound", spec.target.kind + " " + spec.target.name + ": " + scale.describe(),
                              poll);
  const int replicas = scale.body["spec"].value("replicas", 0);
  auto object = client_.get(target_path);
  const int ready = object.ok() && object.body.contains("status")
                        ? object.body["status"].value("readyReplicas", scale.body["status"].value("replicas", 0))
                        : scale.body["status"].value("replicas", 0);

  const int64_t now = now_ms();
  Observation obs{now, replicas, ready, {}};
  for (const auto& t : spec.triggers) {
    auto source = sources_.find(t.source);
    obs.readings.push_back(source == sources_.end() ? std::nullopt : source->second->read(ns, t));
  }
  TargetTracker& tracker_ref = tracker(key, now);
  Decision d = tracker_ref.decide(spec, obs);

  if (d.desired != replicas) {
    auto r = client_.patch(target_path + "/scale", {{"spec", {{"replicas", d.desired}}}});
    if (!r.ok()) {
      Outcome failed =
          Outcome::not_ready("ScaleFailed", r.describe(), ReconcileResult::failed("cannot scale " + spec.target.name));
      return failed;
    }
    events_.normal(wa, "Scaled",
                   "Scaled " + spec.target.kind + " " + spec.target.name + " from " + std::to_string(replicas) +
                       " to " + std::to_string(d.desired) + ": " + d.reason);
    status["lastScaleTime"] = controller::now_rfc3339();
    status["lastScaleReason"] = d.reason;
  }
  status["currentReplicas"] = d.desired;
  status["desiredReplicas"] = d.desired;
  status["readyReplicas"] = ready;
  status["backlog"] = int64_t(d.backlog);
  status["backlogPerReplica"] = int64_t(d.backlog_per_replica);
  if (auto active = tracker_ref.last_active()) status["lastActiveTime"] = controller::rfc3339(*active);
  controller::set_condition(status, "Active", d.active, d.active ? "BacklogAboveActivation" : "Idle",
                            d.active ? "A trigger's backlog is above its activation threshold."
                                     : "No trigger's backlog is above its activation threshold.",
                            generation);
  controller::set_condition(status, "Fallback", d.fallback, d.fallback ? "MetricsUnavailable" : "MetricsAvailable",
                            d.fallback ? d.reason : "The backlog is readable.", generation);

  const std::map<std::string, std::string> labels{{"namespace", ns}, {"name", name}};
  gauges_("sluice_workerautoscaler_backlog", "The backlog a WorkerAutoscaler acted on at its last poll.", labels,
          d.backlog);
  gauges_("sluice_workerautoscaler_desired_replicas", "The replicas a WorkerAutoscaler asked for.", labels, d.desired);
  return Outcome::ready("Polling", d.reason, poll);
}

}  // namespace sluice::autoscaler
