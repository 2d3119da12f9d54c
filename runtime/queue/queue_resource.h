#pragma once
// The Queue kind served by a QueueService (see runtime/common/resource_binding.h):
// Queue manifests and the admin API's /v1/namespaces/{ns}/queues/{name} land here.

#include "runtime/common/resource_binding.h"
#include "runtime/queue/queue_service.h"

namespace sluice::queue {

class QueueResources final : public resource::Binding {
 public:
  explicit QueueResources(QueueService& queues) : queues_(queues) {}

  const resource::KindDef& kind() const override;
  sluice::Status<Error> check(const resource::Placement& where, const std::string& name, const resource::json& spec,
                              const resource::PendingLookup& pending) const override;
  void apply(const resource::Placement& where, const std::string& name, const resource::json& spec,
             resource::ApplyDone done) override;
  std::optional<resource::json> status(const resource::Placement& where, const std::string& name) const override;
  void remove(const resource::Placement& where, const std::string& name, resource::RemoveDone done) override;
  std::vector<resource::json> list(const std::string& base_url) const override;
  size_t size() const override { return queues_.size(); }

  // A queue's status, as a Queue resource reports it.
  static resource::json status_of(Queue& queue, const std::string& base_url);

 private:
  QueueService& queues_;
};

}  // namespace sluice::queue
