#pragma once
// The WorkerAutoscaler on the one reconciler shape: every polling interval, read
// each trigger through its metric source, decide a replica count with the
// TargetTracker, PATCH the target's /scale when it changes (with an Event), and
// report backlog, replicas, lastActiveTime and the Active and Fallback
// conditions (Ready is the skeleton's) in status.

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "operator/autoscaler/spec.h"
#include "operator/autoscaler/target_tracker.h"
#include "operator/controller/events.h"
#include "operator/controller/resource_reconciler.h"
#include "operator/kube/kube_client.h"

namespace sluice::autoscaler {

// Reports a gauge to the operator's metrics (name, help, labels, value).
using GaugeSink =
    std::function<void(const std::string&, const std::string&, const std::map<std::string, std::string>&, double)>;

class WorkerAutoscalerAdapter final : public controller::KindAdapter {
 public:
  WorkerAutoscalerAdapter(const resource::KindDef& kind, kube::KubeClient& client, controller::EventRecorder& events,
                          std::map<std::string, MetricSource*> sources, GaugeSink gauges);

  const resource::KindDef& kind() const override { return kind_; }
  controller::Outcome apply(const controller::json& object, controller::json& status) override;
  void forget(const std::string& key) override;

 private:
  TargetTracker& tracker(const std::string& key, int64_t now_ms);

  const resource::KindDef& kind_;
  kube::KubeClient& client_;
  controller::EventRecorder& events_;
  std::map<std::string, MetricSource*> sources_;
  GaugeSink gauges_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<TargetTracker>> trackers_;
  struct LastPoll {
    int64_t at = 0;
    int64_t generation = -1;
  };
  std::map<std::string, LastPoll> last_poll_;
};

// The REST resource of a scale target (Deployment -> deployments in apps/v1).
kube::ResourceType scale_target_type(const std::string& api_version, const std::string& kind);

}  // namespace sluice::autoscaler
