#pragma once
// Kinesis Data Streams as the sidecar hosts it: the stream engine
// (runtime/stream/), its front end (KinesisService), the Stream kind and the
// CloudWatch Kinesis metrics.
//
// Lifecycle: recover() loads every stream's shard table and positions (the
// records stay on disk) and starts the sweep; drain() stops it.

#include "runtime/stream/stream_resource.h"
#include "runtime/stream/stream_service.h"
#include "sidecar/kinesis/kinesis_service.h"
#include "sidecar/module.h"

namespace sluice::kinesis {

class KinesisModule final : public Module {
 public:
  explicit KinesisModule(const ModuleContext& context);
  ~KinesisModule() override;

  std::string_view name() const override { return "Kinesis"; }
  sluice::Result<std::string, Error> recover() override;
  std::vector<aws::Service*> services() override { return {&service_}; }
  std::vector<resource::Binding*> kinds() override { return {&resources_}; }
  std::vector<std::shared_ptr<prometheus::Collectable>> collectors() override;
  void drain() override { streams_.stop(); }

  stream::StreamService& streams() { return streams_; }

 private:
  const SidecarOptions& options_;
  stream::StreamService streams_;
  KinesisService service_;
  stream::StreamResources resources_{streams_};
};

}  // namespace sluice::kinesis
