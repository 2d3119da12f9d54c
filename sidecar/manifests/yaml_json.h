#pragma once
// YAML manifests as the JSON trees resource specs are read from, converted the
// way the Kubernetes API server reads YAML (YAML 1.2 core schema): a plain scalar
// is null, a boolean, an integer or a float when it looks like one, else a
// string; a quoted scalar is always a string. So `visibilityTimeout: 30` is the
// integer 30 and `visibilityTimeout: "30"` a string the schema refuses, exactly
// as `kubectl apply` would have it.

#include <nlohmann/json.hpp>

namespace YAML {
class Node;
}

namespace sluice::manifests {

nlohmann::json to_json(const YAML::Node& node);

}  // namespace sluice::manifests
