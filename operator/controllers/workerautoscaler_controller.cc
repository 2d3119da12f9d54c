#include "operator/controllers/workerautoscaler_controller.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "operator/controller/object_meta.h"

namespace sluice::controllers {

using controller::ReconcileResult;
using json = nlohmann::json;

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string rfc3339(int64_t ms) {
  std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
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

WorkerAutoscalerReconciler::WorkerAutoscalerReconciler(kube::KubeClient& client, controller::Informer& autoscalers,
                                                       controller::Informer& queues,
                                                       runtime_client::RuntimeSet& runtimes,
                                                       controller::EventRecorder& events, GaugeSink gauges)
    : client_(client),
      autoscalers_(autoscalers),
      queues_(queues),
      runtimes_(runtimes),
      events_(events),
      gauges_(std::move(gauges)) {}

autoscaler::TargetTracker& WorkerAutoscalerReconciler::tracker(const std::string& key, int64_t now) {
  std::lock_guard lock(mu_);
  auto& slot = trackers_[key];
  if (!slot) slot = std::make_unique<autoscaler::TargetTracker>(now);
  return *slot;
}

std::optional<autoscaler::QueueDepth> WorkerAutoscalerReconciler::read_depth(const std::string& ns,
                                                                              const std::string& name) {
  auto queue = queues_.get(ns + "/" + name);
  if (!queue || !queue->contains("status")) return std::nullopt;
  const json& status = (*queue)["status"];
  const std::string runtime_name = status.contains("placement") ? status["placement"].value("runtime", "") : "";
  const std::string queue_name = status.value("queueName", "");
  auto runtime = runtimes_.find(runtime_name);
  if (!runtime || queue_name.empty()) return std::nullopt;
  // Fresh counts from the runtime, not the Queue's status (refreshed less often).
  auto r = runtimes_.call(*runtime, "GET", "/v1/namespaces/" + ns + "/queues/" + queue_name);
  if (!r.ok()) return std::nullopt;
  return autoscaler::QueueDepth{r.body.value("approximateNumberOfMessages", uint64_t(0)),
                                r.body.value("approximateNumberOfMessagesNotVisible", uint64_t(0)),
                                r.body.value("approximateNumberOfMessagesDelayed", uint64_t(0))};
}

ReconcileResult WorkerAutoscalerReconciler::reconcile(const std::string& key) {
  auto cached = autoscalers_.get(key);
  if (!cached) {
    std::lock_guard lock(mu_);
    trackers_.erase(key);
    last_poll_.erase(key);
    return ReconcileResult::done();
  }
  const json& wa = *cached;
  if (controller::being_deleted(wa)) return ReconcileResult::done();
  const std::string ns = controller::namespace_of(wa);
  const std::string name = controller::name_of(wa);
  const int64_t generation = controller::generation_of(wa);
  const std::string path = kWorkerAutoscalerType.object_path(ns, name);
  json status = wa.value("status", json::object());
  status["observedGeneration"] = generation;

  auto write = [&](const json& s) {
    if (wa.contains("status") && wa["status"] == s) return true;
    return client_.patch(path + "/status", {{"status", s}}).ok();
  };

  std::vector<autoscaler::SpecError> errors;
  autoscaler::Spec spec = autoscaler::parse_spec(wa.value("spec", json::object()), errors);
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) message += (message.empty() ? "" : "; ") + e.str();
    if (controller::set_condition(status, "Ready", false, "InvalidSpec", message, generation) && write(status))
      events_.warning(wa, "InvalidSpec", message);
    return ReconcileResult::done();
  }
  const auto poll = std::chrono::seconds(spec.behavior.polling_interval_seconds);
  // One read per polling interval, however often the key comes round (resyncs,
  // spec edits): the tracker's windows and failure counts are per poll.
  {
    std::lock_guard lock(mu_);
    auto& last = last_poll_[key];
    const int64_t now = now_ms();
    if (last.generation == generation && now - last.at < int64_t(spec.behavior.polling_interval_seconds) * 1000 - 50)
      return ReconcileResult::after(std::chrono::milliseconds(last.at + int64_t(spec.behavior.polling_interval_seconds) * 1000 - now));
    last = {now, generation};
  }

  // The target: its replicas through /scale, its ready pods from its status.
  const kube::ResourceType target = scale_target_type(spec.target.api_version, spec.target.kind);
  const std::string target_path = target.object_path(ns, spec.target.name);
  auto scale = client_.get(target_path + "/scale");
  if (!scale.ok()) {
    const std::string message = spec.target.kind + " " + spec.target.name + ": " + scale.describe();
    if (controller::set_condition(status, "Ready", false, "TargetNotFound", message, generation) && write(status))
      events_.warning(wa, "TargetNotFound", message);
    return ReconcileResult::after(poll);
  }
  const int replicas = scale.body["spec"].value("replicas", 0);
  auto object = client_.get(target_path);
  const int ready = object.ok() && object.body.contains("status")
                        ? object.body["status"].value("readyReplicas", scale.body["status"].value("replicas", 0))
                        : scale.body["status"].value("replicas", 0);

  const int64_t now = now_ms();
  autoscaler::Observation obs{now, replicas, ready, {}};
  for (const auto& t : spec.triggers) obs.depths.push_back(read_depth(ns, t.queue));
  autoscaler::TargetTracker& tracker_ref = tracker(key, now);
  autoscaler::Decision d = tracker_ref.decide(spec, obs);

  if (d.desired != replicas) {
    auto r = client_.patch(target_path + "/scale", {{"spec", {{"replicas", d.desired}}}});
    if (!r.ok()) return ReconcileResult::failed("cannot scale " + spec.target.name + ": " + r.describe());
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
  if (auto active = tracker_ref.last_active()) status["lastActiveTime"] = rfc3339(*active);
  controller::set_condition(status, "Ready", true, "Polling", d.reason, generation);
  controller::set_condition(status, "Active", d.active, d.active ? "BacklogAboveActivation" : "Idle",
                            d.active ? "A queue's backlog is above its activation threshold."
                                     : "No queue's backlog is above its activation threshold.",
                            generation);
  controller::set_condition(status, "Fallback", d.fallback, d.fallback ? "MetricsUnavailable" : "MetricsAvailable",
                            d.fallback ? d.reason : "The backlog is readable.", generation);
  if (!write(status)) return ReconcileResult::failed("cannot write status");

  const std::map<std::string, std::string> labels{{"namespace", ns}, {"name", name}};
  gauges_("sluice_workerautoscaler_backlog", "The backlog a WorkerAutoscaler acted on at its last poll.", labels,
          d.backlog);
  gauges_("sluice_workerautoscaler_desired_replicas", "The replicas a WorkerAutoscaler asked for.", labels,
          d.desired);
  return ReconcileResult::after(poll);
}

}  // namespace sluice::controllers
