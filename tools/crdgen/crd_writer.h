#pragma once
// A kind's CustomResourceDefinition and reference page, written from its
// KindDef (runtime/common/resource.h): one schema style and one conditions
// schema for every kind, so the limits the API server enforces are exactly the
// ones the engines and the operator enforce.

#include <nlohmann/json.hpp>

#include <string>

#include "runtime/common/resource.h"

namespace sluice::crdgen {

using ojson = nlohmann::ordered_json;

// The CRD as a JSON tree (what the API server stores).
ojson crd(const resource::KindDef& kind);
// The CRD as the YAML committed in crds/, with a "generated" header.
std::string crd_yaml(const resource::KindDef& kind);
// docs/<singular>-resource.md
std::string reference_doc(const resource::KindDef& kind);

}  // namespace sluice::crdgen
