#include "sidecar/sns/sns_module.h"

#include "sidecar/options.h"
#include "sidecar/sns/topic_metrics.h"

namespace sluice::sns {
namespace {

// A key kept in the data directory, so that signatures stay verifiable across
// restarts; in memory when nothing else is kept.
std::unique_ptr<topic::SigningKey> make_key(const SidecarOptions& o, std::string& error) {
  auto key = o.durability == storage::Durability::memory ? topic::SigningKey::generate()
                                                         : topic::SigningKey::load_or_create(o.data_dir + "/sns");
  if (!key) {
    error = key.error().message;
    return nullptr;
  }
  return std::move(*key);
}

topic::TopicServiceOptions service_options(const SidecarOptions& o) {
  topic::TopicServiceOptions to;
  to.durability = o.durability;
  return to;
}

topic::DeliveryContext delivery(const ModuleContext& c, QueueTargets* queues, const topic::SigningKey* key) {
  topic::DeliveryContext d;
  d.queues = queues;
  d.http = c.http;
  d.signing = key;
  d.base_url = sns_base_url(c.options);
  d.clock = &c.clock;
  d.scheduler = &c.scheduler;
  return d;
}

}  // namespace

std::string sns_base_url(const SidecarOptions& o) {
  std::string url = o.advertise_url.empty() ? "http://localhost:" + std::to_string(o.port) : o.advertise_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

SnsModule::SnsModule(const ModuleContext& c, QueueTargets* queues)
    : options_(c.options),
      signing_(make_key(c.options, signing_error_)),
      topics_(service_options(c.options), c.options.durability == storage::Durability::memory ? c.memory : c.durable,
              c.clock, c.scheduler, delivery(c, queues, signing_.get())),
      service_(topics_, signing_.get()) {}

SnsModule::~SnsModule() { topics_.stop(); }

sluice::Result<std::string, Error> SnsModule::recover() {
  if (!signing_) return fail(errc::storage_failure, "", "cannot load or create the SNS signing key: " + signing_error_);
  auto r = topics_.recover();
  if (!r.ok()) return Failure<Error>{r.error()};
  std::string summary = std::to_string(r->topics) + " topics, " + std::to_string(r->subscriptions) +
                        " subscriptions, " + std::to_string(r->pending_messages) + " messages to deliver";
  if (r->skipped_records) summary += ", " + std::to_string(r->skipped_records) + " unreadable records skipped";
  return summary;
}

std::vector<std::shared_ptr<prometheus::Collectable>> SnsModule::collectors() {
  return {make_sns_collector(topics_, options_.metrics)};
}

std::unique_ptr<Module> make_module(const ModuleContext& context, std::span<const std::unique_ptr<Module>> earlier) {
  QueueTargets* queues = nullptr;  // none: no SQS subscription is delivered
  for (const auto& m : earlier)
    if (!queues) queues = m->queue_targets();
  return std::make_unique<SnsModule>(context, queues);
}

}  // namespace sluice::sns
