#pragma once
// The WorkerAutoscaler reconciler: every polling interval, read the backlog of
// the Queues it names from their runtimes, decide a replica count with the
// autoscaler's TargetTracker, PATCH the target's /scale when it changes (with
// an Event), and report backlog, replicas, lastActiveTime and the Ready,
// Active and Fallback conditions in status.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>

#include "operator/autoscaler/target_tracker.h"
#include "operator/controller/controller.h"
#include "operator/controller/events.h"
#include "operator/kube/kube_client.h"
#include "operator/runtime/runtime_client.h"

namespace sluice::controllers {

inline const kube::ResourceType kWorkerAutoscalerType{"sluice.io", "v1alpha1", "workerautoscalers",
                                                      "WorkerAutoscaler", true};

// Reports a gauge to the operator's metrics (name, labels, value).
using GaugeSink = std::function<void(const std::string&, const std::string&, const std::map<std::string, std::string>&,
                                     double)>;

class WorkerAutoscalerReconciler final : public controller::Reconciler {
 public:
  WorkerAutoscalerReconciler(kube::KubeClient& client, controller::Informer& autoscalers,
                             controller::Informer& queues, runtime_client::RuntimeSet& runtimes,
                             controller::EventRecorder& events, GaugeSink gauges);

  controller::ReconcileResult reconcile(const std::string& key) override;

 private:
  std::optional<autoscaler::QueueDepth> read_depth(const std::string& ns, const std::string& queue);
  autoscaler::TargetTracker& tracker(const std::string& key, int64_t now_ms);

  kube::KubeClient& client_;
  controller::Informer& autoscalers_;
  controller::Informer& queues_;
  runtime_client::RuntimeSet& runtimes_;
  controller::EventRecorder& events_;
  GaugeSink gauges_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<autoscaler::TargetTracker>> trackers_;
  struct LastPoll {
    int64_t at = 0;
    int64_t generation = -1;
  };
  std::map<std::string, LastPoll> last_poll_;
};

// The REST resource of a scale target (Deployment -> deployments in apps/v1).
kube::ResourceType scale_target_type(const std::string& api_version, const std::string& kind);

}  // namespace sluice::controllers
