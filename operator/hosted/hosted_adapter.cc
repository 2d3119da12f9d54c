#include "operator/hosted/hosted_adapter.h"

#include "operator/controller/object_meta.h"

namespace sluice::hosted {

using controller::json;
using controller::Outcome;
using controller::ReconcileResult;

HostedAdapter::HostedAdapter(const resource::KindDef& kind, runtime_client::RuntimeSet& runtimes, HostedOptions options)
    : kind_(kind),
      runtimes_(runtimes),
      options_(options),
      finalizer_(std::string(resource::kGroup) + "/" + kind.singular + "-cleanup") {}

// /v1/namespaces/{ns}/{plural}/{engine name}
std::string HostedAdapter::path(const json& object) const {
  return "/v1/namespaces/" + controller::namespace_of(object) + "/" + kind_.plural + "/" +
         kind_.engine_name(object.value("spec", json::object()), controller::name_of(object));
}

Outcome HostedAdapter::apply(const json& object, json& status) {
  const std::string key = controller::namespace_of(object) + "/" + controller::name_of(object);
  const std::string current = status.contains("placement") ? status["placement"].value("runtime", "") : "";
  auto runtime = runtimes_.place(key, current);
  if (!runtime)
    return Outcome::not_ready("NoRuntime", "No runtime pod is available to host the " + kind_.singular + ".",
                              ReconcileResult::after(std::chrono::seconds(5)));
  auto applied = runtimes_.call(*runtime, "PUT", path(object), object.value("spec", json::object()));
  if (applied.status == 0)
    return Outcome::not_ready("RuntimeUnavailable", "Runtime " + runtime->name + " does not answer: " + applied.error,
                              ReconcileResult::failed("runtime " + runtime->name + " unreachable"));
  if (!applied.ok()) {
    // Refused by the engine (a resource it refers to does not exist yet, a change
    // of type): report it, and look again later in case what was missing appears;
    // a referenced resource that becomes Ready requeues this one at once.
    return Outcome::not_ready("Rejected", applied.error.empty() ? applied.body.dump() : applied.error,
                              ReconcileResult::after(std::chrono::seconds(10)));
  }
  for (const auto& field : kind_.status)
    if (applied.body.contains(field.name)) status[field.name] = applied.body[field.name];
  status["placement"] = {{"runtime", runtime->name}, {"endpoint", runtimes_.api_url(*runtime)}};
  const std::string name = kind_.engine_name(object.value("spec", json::object()), controller::name_of(object));
  std::string message = kind_.kind + " " + name + " is served by " + runtime->name;
  if (!kind_.address_field.empty() && applied.body.contains(kind_.address_field))
    message += " at " + applied.body[kind_.address_field].get<std::string>();
  return Outcome::ready("Reconciled", message + ".", ReconcileResult::after(options_.refresh));
}

Outcome HostedAdapter::finalize(const json& object) {
  const json status = object.value("status", json::object());
  const json spec = object.value("spec", json::object());
  const std::string runtime_name = status.contains("placement") ? status["placement"].value("runtime", "") : "";
  const std::string name = kind_.engine_name(spec, controller::name_of(object));
  auto released = [](const char* reason, std::string message, bool warning) {
    Outcome o = Outcome::ready(reason, std::move(message));
    o.warning = warning;
    return o;
  };
  auto runtime = runtime_name.empty() ? std::nullopt : runtimes_.find(runtime_name);
  if (!runtime)
    return released("RuntimeGone",
                    runtime_name.empty()
                        ? "The " + kind_.singular + " was never placed on a runtime; nothing to delete."
                        : "Runtime " + runtime_name + " no longer exists; nothing left to delete.",
                    !runtime_name.empty());
  if (spec.value("deletionPolicy", "Delete") == "Retain")
    return released(
        "Retained",
        "deletionPolicy is Retain: " + kind_.kind + " " + name + " and its data stay in runtime " + runtime_name + ".",
        false);
  auto r = runtimes_.call(*runtime, "DELETE", path(object));
  if (r.ok() || r.status == 404)
    return released("Deleted",
                    kind_.kind + " " + name + " and its data were deleted from runtime " + runtime_name + ".", false);
  if (controller::deleting_for(object) >= options_.unreachable_grace)
    return released("RuntimeUnreachable",
                    "Runtime " + runtime_name + " did not answer for " +
                        std::to_string(options_.unreachable_grace.count()) + " s; released the resource, " +
                        kind_.kind + " " + name + " may remain in the runtime.",
                    true);
  Outcome waiting = Outcome::not_ready(
      "DeleteFailed", "",
      ReconcileResult::failed("cannot delete " + kind_.kind + " " + name + " from runtime " + runtime_name + ": " +
                              (r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error)));
  return waiting;
}

}  // namespace sluice::hosted
