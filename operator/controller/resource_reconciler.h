#pragma once
// The one shape of every reconciler here (KEDA's and controller-runtime's):
//
//   fetch from the cache → being deleted? finalize, then drop the finalizer →
//   ensure the finalizer → validate the spec against the kind → apply →
//   status with conditions and observedGeneration, written only if it changed →
//   an Event when Ready changes → requeue as the adapter says.
//
// A kind fills it with a small KindAdapter: what applying and finalizing mean
// for it. Runtime-hosted kinds (Queue; next Topic, Stream, ...) share one adapter
// (hosted_adapter.h); the WorkerAutoscaler has its own.

#include <functional>
#include <string>

#include "operator/controller/controller.h"
#include "operator/controller/events.h"
#include "operator/kube/kube_client.h"
#include "runtime/common/resource.h"

namespace sluice::controller {

// What applying or finalizing came to.
struct Outcome {
  bool ok = false;     // apply: Ready; finalize: the finalizer may go
  std::string reason;  // CamelCase, for the Ready condition or the Event
  std::string message;
  bool warning = false;      // finalize: released, but with something left behind
  bool keep_status = false;  // apply: nothing new to say (the status stays as it is)
  ReconcileResult then;

  static Outcome ready(std::string reason, std::string message, ReconcileResult then = ReconcileResult::done()) {
    return {true, std::move(reason), std::move(message), false, false, then};
  }
  static Outcome not_ready(std::string reason, std::string message, ReconcileResult then) {
    return {false, std::move(reason), std::move(message), false, false, then};
  }
};

class KindAdapter {
 public:
  virtual ~KindAdapter() = default;

  virtual const resource::KindDef& kind() const = 0;
  // The finalizer whose cleanup finalize() does; "" for a kind that needs none.
  virtual std::string finalizer() const { return ""; }
  // Makes the world match `object`; writes the kind's status fields (and any
  // condition besides Ready) into `status`.
  virtual Outcome apply(const json& object, json& status) = 0;
  // Cleans up before `object` goes; Outcome::ok lets the finalizer go.
  virtual Outcome finalize(const json& object) {
    (void)object;
    return Outcome::ready("Deleted", "");
  }
  // The object is gone from the cache.
  virtual void forget(const std::string& key) { (void)key; }
};

kube::ResourceType resource_type(const resource::KindDef& kind);

class ResourceReconciler final : public Reconciler {
 public:
  // `became_ready` is told when an object turns Ready, so that resources that
  // refer to it are looked at again at once.
  ResourceReconciler(kube::KubeClient& client, Informer& informer, EventRecorder& events, KindAdapter& adapter,
                     std::function<void(const std::string& kind, const json& object)> became_ready = {});

  ReconcileResult reconcile(const std::string& key) override;

 private:
  ReconcileResult finalize(const json& object);
  bool set_finalizers(const json& object, const json& finalizers);
  // A merge patch of the status subresource, only if the status differs; "" on success.
  std::string write_status(const json& object, const json& status);

  kube::KubeClient& client_;
  Informer& informer_;
  EventRecorder& events_;
  KindAdapter& adapter_;
  kube::ResourceType type_;
  std::function<void(const std::string&, const json&)> became_ready_;
};

}  // namespace sluice::controller
