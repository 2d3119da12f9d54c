#pragma once
// SQS as the sidecar hosts it: the queue engine (runtime/queue/), its front end
// (SqsService), the Queue kind and the CloudWatch SQS metrics.

#include "runtime/queue/queue_resource.h"
#include "runtime/queue/queue_service.h"
#include "sidecar/module.h"
#include "sidecar/sqs/sqs_service.h"

namespace sluice::sqs {

class SqsModule final : public Module {
 public:
  explicit SqsModule(const ModuleContext& context);

  std::string_view name() const override { return "SQS"; }
  sluice::Result<std::string, Error> recover() override;
  std::vector<aws::Service*> services() override { return {&service_}; }
  std::vector<resource::Binding*> kinds() override { return {&resources_}; }
  std::vector<std::shared_ptr<prometheus::Collectable>> collectors() override;
  void drain() override { queues_.release_waiters(); }
  QueueTargets* queue_targets() override { return &queues_; }

  queue::QueueService& queues() { return queues_; }

 private:
  queue::QueueService queues_;
  SqsService service_;
  queue::QueueResources resources_;
  const SidecarOptions& options_;
};

}  // namespace sluice::sqs
