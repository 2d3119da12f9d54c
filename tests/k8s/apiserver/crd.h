#pragma once
// CustomResourceDefinitions: checks a CRD as the apiextensions server would (for what
// the test server supports) and turns each served version into a ResourceType with a
// compiled schema, printer columns and subresources. What the test server cannot honour
// (conversion webhooks, unsupported CEL, unknown schema keywords) is refused with 400.

#include <string>
#include <vector>

#include "runtime/common/result.h"
#include "tests/k8s/apiserver/errors.h"
#include "tests/k8s/apiserver/json_util.h"
#include "tests/k8s/apiserver/kinds.h"

namespace sluice::test_apiserver {

inline constexpr const char* kCrdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

Result<std::vector<ResourceType>, ApiError> crd_resource_types(const Json& crd);

// Names accepted and Established at once, plus storedVersions.
void set_crd_status(Json& crd, const Json* old_status, const std::string& now);

// The storage key ("group/plural") of the resources a CRD defines.
std::string crd_storage_key(const Json& crd);

}  // namespace sluice::test_apiserver
