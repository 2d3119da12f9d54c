// The registry of service modules and of the kinds only the operator acts on.
// A new engine adds its row here (docs/adding-an-engine.md). Modules are named
// only by their makers: what one module uses of another goes through the
// Module interface.

#include <array>

#include "sidecar/module.h"

namespace sluice {

namespace sqs {
std::unique_ptr<Module> make_module(const ModuleContext&, std::span<const std::unique_ptr<Module>>);
}
namespace sns {
std::unique_ptr<Module> make_module(const ModuleContext&, std::span<const std::unique_ptr<Module>>);
}
namespace kinesis {
std::unique_ptr<Module> make_module(const ModuleContext&, std::span<const std::unique_ptr<Module>>);
}

std::vector<std::unique_ptr<Module>> make_modules(const ModuleContext& context) {
  // In order: SNS delivers into SQS's queues in process, and the sidecar
  // destroys modules in reverse order, so the queues outlive the topics.
  static constexpr std::array<ModuleMaker, 3> kMakers = {sqs::make_module, sns::make_module, kinesis::make_module};
  std::vector<std::unique_ptr<Module>> modules;
  for (ModuleMaker make : kMakers) modules.push_back(make(context, modules));
  return modules;
}

std::span<const std::string_view> operator_only_kinds() {
  static constexpr std::array<std::string_view, 1> kKinds = {"WorkerAutoscaler"};
  return kKinds;
}

}  // namespace sluice
