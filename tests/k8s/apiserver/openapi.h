#pragma once
// OpenAPI v3, only as far as clients need it: the root lists one document per
// group-version with a content hash; each document has a PATCH operation per kind
// tagged with x-kubernetes-group-version-kind and a `fieldValidation` query parameter,
// which is what makes kubectl leave validation to the server (?fieldValidation=Strict).
// CRD schemas are included (kubectl explain); built-in schemas are not, so kubectl
// computes strategic merge patches from its compiled-in types. /openapi/v2 is a 404.

#include <optional>
#include <string>

#include "tests/k8s/apiserver/json_util.h"
#include "tests/k8s/apiserver/kinds.h"

namespace sluice::test_apiserver {

Json openapi_root(const Registry& registry);
// `gv_path` is "api/v1" or "apis/{group}/{version}".
std::optional<Json> openapi_document(const Registry& registry, const std::string& gv_path);

}  // namespace sluice::test_apiserver
