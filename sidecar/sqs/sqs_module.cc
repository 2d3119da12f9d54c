#include "sidecar/sqs/sqs_module.h"

#include "sidecar/options.h"
#include "sidecar/sqs/queue_metrics.h"

namespace sluice::sqs {
namespace {

queue::QueueServiceOptions service_options(const SidecarOptions& o) {
  queue::QueueServiceOptions qo;
  qo.region = o.region;
  qo.default_durability = o.durability;
  return qo;
}

}  // namespace

SqsModule::SqsModule(const ModuleContext& c)
    : queues_(service_options(c.options), c.durable, c.memory, c.clock, c.scheduler),
      service_(queues_),
      resources_(queues_),
      options_(c.options) {}

sluice::Result<std::string, Error> SqsModule::recover() {
  auto r = queues_.recover();
  if (!r.ok()) return Failure<Error>{r.error()};
  std::string summary = std::to_string(r->queues) + " queues, " + std::to_string(r->messages) + " messages";
  if (r->skipped_records) summary += ", " + std::to_string(r->skipped_records) + " unreadable message records skipped";
  if (r->orphan_ranges) summary += ", records of " + std::to_string(r->orphan_ranges) + " deleted queue ranges removed";
  return summary;
}

std::vector<std::shared_ptr<prometheus::Collectable>> SqsModule::collectors() {
  return {make_sqs_collector(queues_, options_.metrics)};
}

std::unique_ptr<Module> make_module(const ModuleContext& context, std::span<const std::unique_ptr<Module>>) {
  return std::make_unique<SqsModule>(context);
}

}  // namespace sluice::sqs
