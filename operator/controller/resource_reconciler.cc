#include "operator/controller/resource_reconciler.h"

#include "operator/controller/object_meta.h"

namespace sluice::controller {

kube::ResourceType resource_type(const resource::KindDef& kind) {
  return {resource::kGroup, resource::kVersion, kind.plural, kind.kind, true};
}

ResourceReconciler::ResourceReconciler(kube::KubeClient& client, Informer& informer, EventRecorder& events,
                                       KindAdapter& adapter,
                                       std::function<void(const std::string&, const json&)> became_ready)
    : client_(client),
      informer_(informer),
      events_(events),
      adapter_(adapter),
      type_(resource_type(adapter.kind())),
      became_ready_(std::move(became_ready)) {}

bool ResourceReconciler::set_finalizers(const json& object, const json& finalizers) {
  // resourceVersion in a patch is a precondition: a concurrent change makes this a 409 and we retry.
  json patch = {
      {"metadata", {{"finalizers", finalizers}, {"resourceVersion", object["metadata"].value("resourceVersion", "")}}}};
  return client_.patch(type_.object_path(namespace_of(object), name_of(object)), patch).ok();
}

std::string ResourceReconciler::write_status(const json& object, const json& status) {
  if (object.contains("status") && object["status"] == status) return "";  // nothing to write
  auto r = client_.patch(type_.object_path(namespace_of(object), name_of(object)) + "/status", {{"status", status}});
  return r.ok() ? "" : r.describe();
}

ReconcileResult ResourceReconciler::finalize(const json& object) {
  const std::string finalizer = adapter_.finalizer();
  if (finalizer.empty() || !has_finalizer(object, finalizer)) return ReconcileResult::done();
  Outcome f = adapter_.finalize(object);
  if (!f.ok) return f.then;
  if (f.warning) {
    events_.warning(object, f.reason, f.message);
  } else {
    events_.normal(object, f.reason, f.message);
  }
  json finalizers = json::array();
  for (const auto& x : object["metadata"].value("finalizers", json::array()))
    if (x != finalizer) finalizers.push_back(x);
  if (!set_finalizers(object, finalizers)) return ReconcileResult::failed("cannot remove finalizer");
  return ReconcileResult::done();
}

ReconcileResult ResourceReconciler::reconcile(const std::string& key) {
  auto cached = informer_.get(key);
  if (!cached) {
    adapter_.forget(key);
    return ReconcileResult::done();  // gone; its finalizer already ran
  }
  const json& object = *cached;
  if (being_deleted(object)) return finalize(object);

  const std::string finalizer = adapter_.finalizer();
  if (!finalizer.empty() && !has_finalizer(object, finalizer)) {
    json finalizers = object["metadata"].value("finalizers", json::array());
    finalizers.push_back(finalizer);
    if (!set_finalizers(object, finalizers)) return ReconcileResult::failed("cannot add finalizer");
    return ReconcileResult::done();  // the update comes back through the watch
  }

  const int64_t generation = generation_of(object);
  json status = object.value("status", json::object());
  const json* before = find_condition(status, "Ready");
  const bool was_ready = before && before->value("status", "") == "True";
  const std::string was_reason = before ? before->value("reason", "") : "";
  const int64_t was_generation = before ? before->value("observedGeneration", int64_t(-1)) : -1;

  // The kind's own validation, the same the runtime applies, so the operator
  // reports exactly what the runtime would refuse.
  Outcome outcome;
  auto errors = resource::validate(adapter_.kind(), object.value("spec", json::object()), name_of(object));
  if (!errors.empty()) {
    outcome = Outcome::not_ready("InvalidSpec", resource::describe(errors), ReconcileResult::done());
  } else {
    outcome = adapter_.apply(object, status);
    if (outcome.keep_status) return outcome.then;
  }
  status["observedGeneration"] = generation;
  set_condition(status, "Ready", outcome.ok, outcome.reason, outcome.message, generation);
  if (auto error = write_status(object, status); !error.empty())
    return ReconcileResult::failed("cannot write status: " + error);
  // An Event when Ready turns, or its reason or generation changes (once recorded).
  if (outcome.ok != was_ready || outcome.reason != was_reason || generation != was_generation) {
    const std::string message = outcome.message + " (generation " + std::to_string(generation) + ")";
    if (outcome.ok) {
      events_.normal(object, was_ready ? "Updated" : "Ready", message);
    } else {
      events_.warning(object, outcome.reason, outcome.message);
    }
  }
  if (outcome.ok && !was_ready && became_ready_) became_ready_(adapter_.kind().kind, object);
  return outcome.then;
}

}  // namespace sluice::controller
