#pragma once
// A service module as the sidecar hosts it: an engine, its AWS front end, the
// resource kinds it serves and its metrics. sidecar/modules.cc lists them; the
// sidecar recovers each, the AWS endpoint routes to their services, the admin
// API and the manifest loader to their kinds, and /metrics scrapes their
// collectors. Each engine is a folder beside sidecar/sqs/ and one row there.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/error.h"
#include "runtime/common/http_client.h"
#include "runtime/common/queue_targets.h"
#include "runtime/common/resource_binding.h"
#include "runtime/common/scheduler.h"
#include "runtime/storage/store.h"
#include "sidecar/aws/service.h"

namespace prometheus {
class Collectable;
}

namespace sluice {

struct SidecarOptions;

struct ModuleContext {
  storage::Store& durable;
  storage::Store& memory;  // for resources whose durability is "memory"
  Clock& clock;
  Scheduler& scheduler;
  const SidecarOptions& options;
  // Outbound HTTP/S (SNS's HTTP/S subscriptions); null when the sidecar has none (tests).
  HttpClient* http = nullptr;
};

class Module {
 public:
  virtual ~Module() = default;

  virtual std::string_view name() const = 0;  // "SQS"
  // Loads the engine's state (at start-up, before anything is served); on success
  // a few words for the banner ("3 queues, 1204 messages").
  virtual sluice::Result<std::string, Error> recover() = 0;
  virtual std::vector<aws::Service*> services() = 0;
  virtual std::vector<resource::Binding*> kinds() = 0;
  virtual std::vector<std::shared_ptr<prometheus::Collectable>> collectors() = 0;
  // Answers whatever waits (long polls) at shutdown.
  virtual void drain() {}
  // Queues other engines may deliver into in process (SNS fan-out), if this module has them.
  virtual QueueTargets* queue_targets() { return nullptr; }
};

// The registry: every module this sidecar hosts.
std::vector<std::unique_ptr<Module>> make_modules(const ModuleContext& context);

// How make_modules() makes one module: `earlier` are the modules made before
// it, which it may use through this interface only (SNS delivers into the
// queues that some earlier module's queue_targets() offers). Each service
// defines one, `<service>::make_module`, in sidecar/<service>/<service>_module.cc.
using ModuleMaker = std::unique_ptr<Module> (*)(const ModuleContext& context,
                                                std::span<const std::unique_ptr<Module>> earlier);

// Kinds that only the operator acts on (they scale Deployments): standalone, their
// manifests are accepted and skipped.
std::span<const std::string_view> operator_only_kinds();

}  // namespace sluice
