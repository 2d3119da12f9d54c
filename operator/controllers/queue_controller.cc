#include "operator/controllers/queue_controller.h"

#include <yaml-cpp/yaml.h>

#include "operator/controller/object_meta.h"
#include "runtime/queue/spec.h"

namespace sluice::controllers {

using controller::ReconcileResult;
using json = nlohmann::json;

thread_local std::string QueueReconciler::last_error_;

QueueReconciler::QueueReconciler(kube::KubeClient& client, controller::Informer& queues,
                                 runtime_client::RuntimeSet& runtimes, controller::EventRecorder& events,
                                 QueueControllerOptions options)
    : client_(client), queues_(queues), runtimes_(runtimes), events_(events), options_(options) {}

bool QueueReconciler::set_finalizers(const json& queue, const json& finalizers) {
  // resourceVersion in a patch is a precondition: a concurrent change makes this a 409 and we retry.
  json patch = {{"metadata",
                 {{"finalizers", finalizers}, {"resourceVersion", queue["metadata"].value("resourceVersion", "")}}}};
  return client_.patch(kQueueType.object_path(controller::namespace_of(queue), controller::name_of(queue)), patch)
      .ok();
}

bool QueueReconciler::write_status(const json& queue, const json& status) {
  if (queue.contains("status") && queue["status"] == status) return true;  // nothing to write
  json patch = {{"status", status}};
  auto r = client_.patch(kQueueType.object_path(controller::namespace_of(queue), controller::name_of(queue)) + "/status",
                         patch);
  if (!r.ok()) last_error_ = r.describe();
  return r.ok();
}

ReconcileResult QueueReconciler::not_ready(const json& queue, json status, const std::string& reason,
                                           const std::string& message, ReconcileResult then) {
  const int64_t generation = controller::generation_of(queue);
  status["observedGeneration"] = generation;
  const bool changed = controller::set_condition(status, "Ready", false, reason, message, generation);
  if (!write_status(queue, status)) return ReconcileResult::failed("cannot write status: " + last_error_);
  if (changed) events_.warning(queue, reason, message);  // once the new state is recorded
  return then;
}

ReconcileResult QueueReconciler::reconcile(const std::string& key) {
  auto cached = queues_.get(key);
  if (!cached) return ReconcileResult::done();  // gone; its finalizer already ran
  const json& queue = *cached;
  if (controller::being_deleted(queue)) return finalize(queue);

  if (!controller::has_finalizer(queue, kQueueFinalizer)) {
    json finalizers = queue["metadata"].value("finalizers", json::array());
    finalizers.push_back(kQueueFinalizer);
    if (!set_finalizers(queue, finalizers)) return ReconcileResult::failed("cannot add finalizer");
    return ReconcileResult::done();  // the update comes back through the watch
  }

  const std::string ns = controller::namespace_of(queue);
  const std::string name = controller::name_of(queue);
  const int64_t generation = controller::generation_of(queue);
  json status = queue.value("status", json::object());

  // The same parser the runtime uses, so the operator reports exactly what the runtime would refuse.
  const json spec = queue.value("spec", json::object());
  std::vector<queue::SpecError> errors;
  auto parsed = queue::parse_queue_spec(YAML::Load(spec.dump()), name, errors);
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) message += (message.empty() ? "" : "; ") + e.str();
    return not_ready(queue, status, "InvalidSpec", message, ReconcileResult::done());
  }

  const std::string current = status.contains("placement") ? status["placement"].value("runtime", "") : "";
  auto runtime = runtimes_.place(key, current);
  if (!runtime)
    return not_ready(queue, status, "NoRuntime", "No runtime pod is available to host the queue.",
                     ReconcileResult::after(std::chrono::seconds(5)));

  auto applied = runtimes_.call(*runtime, "PUT", "/v1/namespaces/" + ns + "/queues/" + parsed.queue_name, spec);
  if (applied.status == 0)
    return not_ready(queue, status, "RuntimeUnavailable",
                     "Runtime " + runtime->name + " does not answer: " + applied.error,
                     ReconcileResult::failed("runtime " + runtime->name + " unreachable"));
  if (!applied.ok()) {
    // Refused by the engine (a dead-letter queue that does not exist yet, a change of type):
    // report it, and look again later in case what was missing appears. A dead-letter
    // queue that becomes Ready requeues its sources at once (requeue_dead_letter_sources).
    return not_ready(queue, status, "Rejected", applied.error.empty() ? applied.body.dump() : applied.error,
                     ReconcileResult::after(std::chrono::seconds(10)));
  }

  const json& s = applied.body;
  status["observedGeneration"] = generation;
  status["queueName"] = s.value("queueName", parsed.queue_name);
  status["queueUrl"] = s.value("url", "");
  status["queueArn"] = s.value("arn", "");
  status["accountId"] = s.value("accountId", "");
  status["placement"] = {{"runtime", runtime->name}, {"endpoint", s.value("endpoint", "")}};
  status["approximateNumberOfMessages"] = s.value("approximateNumberOfMessages", 0);
  status["approximateNumberOfMessagesNotVisible"] = s.value("approximateNumberOfMessagesNotVisible", 0);
  status["approximateNumberOfMessagesDelayed"] = s.value("approximateNumberOfMessagesDelayed", 0);
  const json* before = controller::find_condition(status, "Ready");
  const bool was_ready = before && before->value("status", "") == "True";
  const bool changed = controller::set_condition(status, "Ready", true, "Reconciled",
                                                 "Queue " + parsed.queue_name + " is served by " + runtime->name + ".",
                                                 generation);
  if (!write_status(queue, status)) return ReconcileResult::failed("cannot write status: " + last_error_);
  if (!was_ready) requeue_dead_letter_sources(ns, name, parsed.queue_name);
  if (changed)
    events_.normal(queue, was_ready ? "Updated" : "Ready",
                   "Queue " + parsed.queue_name + " is ready at " + s.value("url", "") + " (runtime " + runtime->name +
                       ", generation " + std::to_string(generation) + ").");
  return ReconcileResult::after(options_.depth_refresh);
}

// Queues applied with their dead-letter queue in one file often arrive first; they
// need not wait for their next retry once the target exists.
void QueueReconciler::requeue_dead_letter_sources(const std::string& ns, const std::string& dlq_name,
                                                  const std::string& dlq_queue_name) {
  std::vector<std::string> sources;
  queues_.for_each([&](const std::string& key, const json& q) {
    if (controller::namespace_of(q) != ns) return;
    auto spec = q.find("spec");
    if (spec == q.end() || !spec->contains("redrivePolicy") || !(*spec)["redrivePolicy"].is_object()) return;
    const std::string target = (*spec)["redrivePolicy"].value("deadLetterTargetQueue", "");
    if (target != dlq_name && target != dlq_queue_name) return;
    auto status = q.find("status");
    const json* ready = status == q.end() ? nullptr : controller::find_condition(*status, "Ready");
    if (!ready || ready->value("status", "") != "True") sources.push_back(key);
  });
  for (const auto& key : sources) requeue(key);  // outside the informer's lock
}

}  // namespace sluice::controllers
