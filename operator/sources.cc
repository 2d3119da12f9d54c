#include "operator/sources.h"

#include "operator/queue/backlog_source.h"

namespace sluice::operator_kinds {

std::map<std::string, std::unique_ptr<autoscaler::MetricSource>> make_sources(
    const std::map<std::string, controller::Informer*>& informers, runtime_client::RuntimeSet& runtimes) {
  std::map<std::string, std::unique_ptr<autoscaler::MetricSource>> out;
  out["queue"] = std::make_unique<queue_trigger::BacklogSource>(*informers.at("Queue"), runtimes);
  return out;
}

}  // namespace sluice::operator_kinds
