#pragma once
// The PATCH engines: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic
// merge patch (built-in kinds only), each a pure function from (object, patch) to the
// patched object.

#include <functional>
#include <string>
#include <vector>

#include "runtime/common/result.h"
#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

struct ResourceType;

struct PatchError {
  bool bad_request = false;  // malformed patch → 400; a patch that does not apply → 422
  std::string message;
};

Result<Json, PatchError> merge_patch(const Json& target, const Json& patch);
Result<Json, PatchError> json_patch(const Json& target, const Json& operations);

// How a list merges in a strategic merge patch, by its path: field names joined by
// '.', list items as "[]" (e.g. "spec.template.spec.containers[].env").
struct ListStrategy {
  enum Kind { Atomic, MergeByKey, MergePrimitive } kind = Atomic;
  std::string key;
};
using StrategyLookup = std::function<ListStrategy(const std::string& path)>;

// The patch strategies of a built-in kind (merge keys from the Kubernetes API types).
StrategyLookup builtin_strategies(const ResourceType& type);

// Supports $patch (merge/replace/delete), $retainKeys, $deleteFromPrimitiveList/<f>
// and $setElementOrder/<f>.
Result<Json, PatchError> strategic_merge_patch(const Json& target, const Json& patch, const StrategyLookup& lookup);

}  // namespace sluice::test_apiserver
