#pragma once
// The `queue` trigger's metric source: a Queue's depth, read fresh from the
// runtime that hosts it (its status in the cluster is refreshed less often).

#include "operator/autoscaler/trigger.h"
#include "operator/controller/informer.h"
#include "operator/runtime/runtime_client.h"

namespace sluice::queue_trigger {

class BacklogSource final : public autoscaler::MetricSource {
 public:
  BacklogSource(controller::Informer& queues, runtime_client::RuntimeSet& runtimes)
      : queues_(queues), runtimes_(runtimes) {}

  std::optional<autoscaler::Reading> read(const std::string& ns, const autoscaler::Trigger& trigger) override;

 private:
  controller::Informer& queues_;
  runtime_client::RuntimeSet& runtimes_;
};

}  // namespace sluice::queue_trigger
