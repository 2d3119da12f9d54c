// The registry of service modules and of the kinds only the operator acts on.
// A new engine adds its row here (docs/adding-an-engine.md).

#include <array>

#include "sidecar/module.h"
#include "sidecar/sns/sns_module.h"
#include "sidecar/sqs/sqs_module.h"

namespace sluice {

std::vector<std::unique_ptr<Module>> make_modules(const ModuleContext& context) {
  std::vector<std::unique_ptr<Module>> modules;
  auto sqs = std::make_unique<sqs::SqsModule>(context);
  // SNS delivers into SQS's queues in process; the sidecar destroys modules in
  // reverse order, so the queues outlive the topics.
  auto sns = std::make_unique<sns::SnsModule>(context, sqs->queue_targets());
  modules.push_back(std::move(sqs));
  modules.push_back(std::move(sns));
  return modules;
}

std::span<const std::string_view> operator_only_kinds() {
  static constexpr std::array<std::string_view, 1> kKinds = {"WorkerAutoscaler"};
  return kKinds;
}

}  // namespace sluice
