#pragma once
// Discovery documents. kubectl 1.32 reads only the aggregated form (apidiscovery.k8s.io/v2)
// and recognises it by the exact Content-Type below; the legacy documents (APIVersions,
// APIGroupList, APIResourceList) are served to clients that ask for plain JSON.

#include <optional>
#include <string>

#include "tests/k8s/apiserver/json_util.h"
#include "tests/k8s/apiserver/kinds.h"

namespace sluice::test_apiserver {

inline constexpr const char* kAggregatedDiscoveryContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

// True when the Accept header asks for the aggregated v2 form.
bool wants_aggregated_discovery(const std::string& accept);

// /api (core == true) or /apis.
Json aggregated_discovery(const Registry& registry, bool core);
Json legacy_api_versions();
Json legacy_group_list(const Registry& registry);
std::optional<Json> legacy_group(const Registry& registry, const std::string& group);
std::optional<Json> legacy_resource_list(const Registry& registry, const std::string& group,
                                         const std::string& version);

}  // namespace sluice::test_apiserver
