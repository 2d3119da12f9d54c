#pragma once
// The Queue reconciler: makes the runtime serve each Queue resource as its spec
// says, and reports back in status (URL, ARN, placement, depth, Ready).
//
// One shape, like every reconciler here: fetch from the cache → if deleting,
// finalize (queue_finalizer.cc) → ensure the finalizer → validate the spec →
// place it on a runtime → apply it (idempotent PUT to the runtime's admin API)
// → write status and conditions only if they changed, with an Event on each
// transition → requeue to refresh the depth.

#include <chrono>

#include "operator/controller/controller.h"
#include "operator/controller/events.h"
#include "operator/kube/kube_client.h"
#include "operator/runtime/runtime_client.h"

namespace sluice::controllers {

inline constexpr const char* kQueueFinalizer = "sluice.io/queue-cleanup";
inline const kube::ResourceType kQueueType{"sluice.io", "v1alpha1", "queues", "Queue", true};

struct QueueControllerOptions {
  // How often Ready queues are re-applied and their depth refreshed.
  std::chrono::seconds depth_refresh{15};
  // How long a deletion waits for an unreachable runtime before giving up on
  // its data and releasing the resource, so namespaces never hang.
  std::chrono::seconds unreachable_grace{60};
};

class QueueReconciler final : public controller::Reconciler {
 public:
  QueueReconciler(kube::KubeClient& client, controller::Informer& queues, runtime_client::RuntimeSet& runtimes,
                  controller::EventRecorder& events, QueueControllerOptions options);

  controller::ReconcileResult reconcile(const std::string& key) override;

 private:
  controller::ReconcileResult finalize(const nlohmann::json& queue);
  bool set_finalizers(const nlohmann::json& queue, const nlohmann::json& finalizers);
  // Writes status (merge patch of the status subresource) if it differs.
  bool write_status(const nlohmann::json& queue, const nlohmann::json& status);
  controller::ReconcileResult not_ready(const nlohmann::json& queue, nlohmann::json status, const std::string& reason,
                                        const std::string& message, controller::ReconcileResult then);
  // Requeues the not-yet-Ready queues of `ns` whose dead-letter target is `dlq` (by either name).
  void requeue_dead_letter_sources(const std::string& ns, const std::string& dlq_name, const std::string& dlq_queue_name);

  kube::KubeClient& client_;
  controller::Informer& queues_;
  runtime_client::RuntimeSet& runtimes_;
  controller::EventRecorder& events_;
  QueueControllerOptions options_;
  static thread_local std::string last_error_;  // of the last failed write, for the reconcile's error
};

}  // namespace sluice::controllers
