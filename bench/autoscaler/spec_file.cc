#include "bench/autoscaler/spec_file.h"

#include <yaml-cpp/yaml.h>

#include <stdexcept>

#include "operator/kinds.h"
#include "sidecar/manifests/yaml_json.h"

namespace sluice::bench {

using json = nlohmann::json;

autoscaler::Spec load_spec_file(const std::string& path) {
  json manifest;
  try {
    manifest = manifests::to_json(YAML::LoadFile(path));
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  if (manifest.value("kind", "") != "WorkerAutoscaler")
    throw std::runtime_error(path + ": not a WorkerAutoscaler manifest");
  std::vector<autoscaler::SpecError> errors;
  autoscaler::Spec spec =
      autoscaler::parse_spec(operator_kinds::workerautoscaler(), manifest.value("spec", json::object()), errors);
  if (!errors.empty()) throw std::runtime_error(path + ": " + resource::describe(errors));
  return spec;
}

}  // namespace sluice::bench
