#pragma once
// The adapter of every kind a runtime pod serves (Queue; next Topic, Stream,
// DeliveryStream): place the resource on a runtime, apply its spec there with an
// idempotent PUT to the runtime's admin API, and copy back the status fields the
// kind declares, plus where it is (status.placement). Deleting it deletes it from
// its runtime, or keeps it with deletionPolicy: Retain, and never hangs: a
// runtime that is gone releases the resource at once, one that does not answer
// after the grace period with a Warning.

#include <chrono>

#include "operator/controller/resource_reconciler.h"
#include "operator/runtime/runtime_client.h"

namespace sluice::hosted {

struct HostedOptions {
  // How often Ready resources are re-applied and their status refreshed.
  std::chrono::seconds refresh{15};
  // How long a deletion waits for an unreachable runtime before giving up on
  // its data and releasing the resource, so namespaces never hang.
  std::chrono::seconds unreachable_grace{60};
};

class HostedAdapter final : public controller::KindAdapter {
 public:
  HostedAdapter(const resource::KindDef& kind, runtime_client::RuntimeSet& runtimes, HostedOptions options);

  const resource::KindDef& kind() const override { return kind_; }
  std::string finalizer() const override { return finalizer_; }
  controller::Outcome apply(const controller::json& object, controller::json& status) override;
  controller::Outcome finalize(const controller::json& object) override;

 private:
  std::string path(const controller::json& object) const;

  const resource::KindDef& kind_;
  runtime_client::RuntimeSet& runtimes_;
  HostedOptions options_;
  const std::string finalizer_;  // sluice.io/<singular>-cleanup
};

}  // namespace sluice::hosted
