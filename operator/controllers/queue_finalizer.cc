// Deleting a Queue resource: delete (or keep) its queue in the runtime, then
// release the resource. A runtime that is gone, or that cannot be reached for
// longer than the grace period, does not keep the resource (and its namespace)
// in Terminating: the finalizer is dropped with a Warning saying what was left.

#include <ctime>
#include <iomanip>
#include <sstream>

#include "operator/controller/object_meta.h"
#include "operator/controllers/queue_controller.h"

namespace sluice::controllers {

using controller::ReconcileResult;
using json = nlohmann::json;

namespace {

std::chrono::seconds deleting_for(const json& queue) {
  std::tm tm{};
  std::istringstream in(queue["metadata"].value("deletionTimestamp", ""));
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::chrono::seconds(0);
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() -
                                                          std::chrono::system_clock::from_time_t(timegm(&tm)));
}

}  // namespace

ReconcileResult QueueReconciler::finalize(const json& queue) {
  if (!controller::has_finalizer(queue, kQueueFinalizer)) return ReconcileResult::done();
  const json status = queue.value("status", json::object());
  const json spec = queue.value("spec", json::object());
  const std::string runtime_name = status.contains("placement") ? status["placement"].value("runtime", "") : "";
  const std::string queue_name =
      status.value("queueName", spec.value("queueName", controller::name_of(queue)));
  const bool retain = spec.value("deletionPolicy", "Delete") == "Retain";

  auto release = [&](const char* reason, const std::string& message, bool warning) {
    json finalizers = json::array();
    for (const auto& f : queue["metadata"].value("finalizers", json::array()))
      if (f != kQueueFinalizer) finalizers.push_back(f);
    if (warning) {
      events_.warning(queue, reason, message);
    } else {
      events_.normal(queue, reason, message);
    }
    if (!set_finalizers(queue, finalizers)) return ReconcileResult::failed("cannot remove finalizer");
    return ReconcileResult::done();
  };

  auto runtime = runtime_name.empty() ? std::nullopt : runtimes_.find(runtime_name);
  if (!runtime) {
    return release("RuntimeGone",
                   runtime_name.empty() ? "The queue was never placed on a runtime; nothing to delete."
                                        : "Runtime " + runtime_name + " no longer exists; nothing left to delete.",
                   !runtime_name.empty());
  }
  if (retain)
    return release("Retained", "deletionPolicy is Retain: queue " + queue_name + " and its messages stay in runtime " +
                                   runtime_name + ".", false);

  auto r = runtimes_.call(*runtime, "DELETE",
                          "/v1/namespaces/" + controller::namespace_of(queue) + "/queues/" + queue_name);
  if (r.ok() || r.status == 404)
    return release("Deleted", "Queue " + queue_name + " and its messages were deleted from runtime " + runtime_name + ".",
                   false);
  if (deleting_for(queue) >= options_.unreachable_grace)
    return release("RuntimeUnreachable",
                   "Runtime " + runtime_name + " did not answer for " + std::to_string(options_.unreachable_grace.count()) +
                       " s; released the resource, queue " + queue_name + " may remain in the runtime.",
                   true);
  return ReconcileResult::failed("cannot delete queue " + queue_name + " from runtime " + runtime_name + ": " +
                                 (r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error));
}

}  // namespace sluice::controllers
