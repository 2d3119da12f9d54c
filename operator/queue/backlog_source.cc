#include "operator/queue/backlog_source.h"

#include "operator/queue/queue_trigger.h"

namespace sluice::queue_trigger {

std::optional<autoscaler::Reading> BacklogSource::read(const std::string& ns, const autoscaler::Trigger& trigger) {
  auto queue = queues_.get(ns + "/" + trigger.name);
  if (!queue || !queue->contains("status")) return std::nullopt;
  const auto& status = (*queue)["status"];
  const std::string runtime_name = status.contains("placement") ? status["placement"].value("runtime", "") : "";
  const std::string queue_name = status.value("queueName", "");
  auto runtime = runtimes_.find(runtime_name);
  if (!runtime || queue_name.empty()) return std::nullopt;
  auto r = runtimes_.call(*runtime, "GET", "/v1/namespaces/" + ns + "/queues/" + queue_name);
  if (!r.ok()) return std::nullopt;
  Depth depth{r.body.value("approximateNumberOfMessages", uint64_t(0)),
              r.body.value("approximateNumberOfMessagesNotVisible", uint64_t(0)),
              r.body.value("approximateNumberOfMessagesDelayed", uint64_t(0))};
  return reading(depth, trigger.options);
}

}  // namespace sluice::queue_trigger
