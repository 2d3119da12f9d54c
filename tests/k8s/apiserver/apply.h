#pragma once
// Server-side apply, approximated: upsert, list merging by the type's list semantics,
// per-manager field ownership kept in metadata.managedFields (FieldsV1) so that a
// manager's later apply removes the fields it stopped applying, and conflicts between
// *Apply* managers (409 unless force). Update operations (PUT, merge patch) do not
// take ownership here, so they never conflict with an apply.

#include <functional>
#include <string>
#include <vector>

#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

struct ResourceType;

struct ListSemantics {
  enum Kind { Atomic, Map, Set } kind = Atomic;
  std::vector<std::string> keys;
};
// Paths as in patch.h: "spec.template.spec.containers[].env".
using ListSemanticsLookup = std::function<ListSemantics(const std::string& path)>;

ListSemanticsLookup builtin_list_semantics(const ResourceType& type);

struct ApplyConflict {
  std::string manager;
  std::string field;  // ".spec.replicas", ".spec.containers[name=\"app\"].image"
};

struct ApplyOutcome {
  Json object;                           // live object with the applied configuration merged in
  std::vector<ApplyConflict> conflicts;  // non-empty: nothing was applied
};

// `live` is null when the object does not exist. `applied` must be an object.
ApplyOutcome server_side_apply(const Json* live, const Json& applied, const std::string& manager, bool force,
                               const ListSemanticsLookup& lookup, const std::string& api_version,
                               const std::string& now);

}  // namespace sluice::test_apiserver
