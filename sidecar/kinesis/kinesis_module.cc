#include "sidecar/kinesis/kinesis_module.h"

#include "sidecar/kinesis/stream_metrics.h"
#include "sidecar/options.h"

namespace sluice::kinesis {
namespace {

stream::StreamServiceOptions service_options(const SidecarOptions& o) {
  stream::StreamServiceOptions so;
  so.durability = o.durability;
  return so;
}

}  // namespace

KinesisModule::KinesisModule(const ModuleContext& c)
    : options_(c.options),
      streams_(service_options(c.options), c.options.durability == storage::Durability::memory ? c.memory : c.durable,
               c.clock, c.scheduler),
      service_(streams_, c.clock) {}

KinesisModule::~KinesisModule() { streams_.stop(); }

sluice::Result<std::string, Error> KinesisModule::recover() {
  auto r = streams_.recover();
  if (!r.ok()) return Failure<Error>{r.error()};
  return std::to_string(r->streams) + " streams, " + std::to_string(r->shards) + " shards";
}

std::vector<std::shared_ptr<prometheus::Collectable>> KinesisModule::collectors() {
  return {make_kinesis_collector(streams_, options_.metrics)};
}

std::unique_ptr<Module> make_module(const ModuleContext& context, std::span<const std::unique_ptr<Module>>) {
  return std::make_unique<KinesisModule>(context);
}

}  // namespace sluice::kinesis
