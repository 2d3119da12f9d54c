#pragma once
// The resource types the test API server serves: one declarative row per built-in
// kind (kinds.cc), plus the types registered at run time from CustomResourceDefinitions
// (crd.cc). The Registry holds both and bumps a revision on every change, which is
// what discovery and OpenAPI hashes are derived from.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::test_apiserver {

struct Schema;  // schema_validation.h

// A server-side Table column. CRD columns are JSONPath (".spec.x"). Built-in rows may
// also use "{.a}/{.b}" (a template; missing values print as 0) or "#.data" (entry count).
struct PrinterColumn {
  std::string name;
  std::string type = "string";  // string, integer, number, boolean, date
  std::string format;
  std::string description;
  std::string json_path;
  int priority = 0;
};

struct ScaleSubresource {
  std::string spec_replicas_path = ".spec.replicas";
  std::string status_replicas_path = ".status.replicas";
  // Empty for built-ins: the selector is rendered from .spec.selector.
  std::string label_selector_path;
};

struct ResourceType {
  std::string group;  // "" is the core group
  std::string version;
  std::string plural;
  std::string singular;
  std::string kind;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  bool status_subresource = false;
  std::optional<ScaleSubresource> scale;
  bool finalize_subresource = false;   // namespaces/{name}/finalize
  std::vector<PrinterColumn> columns;  // besides NAME (and AGE for built-ins)
  // Built-ins only:
  bool builtin = true;                    // strategic merge patch is allowed
  std::string pod_spec_path;              // where a PodSpec lives, for SMP merge keys
  std::vector<std::string> fields;        // allowed top-level fields besides apiVersion/kind/metadata
  std::vector<std::string> field_labels;  // fieldSelector labels besides metadata.name/namespace
  // CRD-backed only:
  std::string crd_name;
  std::shared_ptr<const Schema> schema;
  std::string openapi_schema;  // the version's openAPIV3Schema as JSON text (for /openapi/v3)

  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  // "queues.sluice.io" or "pods": how errors name the resource.
  std::string group_resource() const { return group.empty() ? plural : plural + "." + group; }
  // "Queue.sluice.io" or "Pod": how Invalid errors name the kind.
  std::string group_kind() const { return group.empty() ? kind : kind + "." + group; }
  // All versions of one resource share storage.
  std::string storage_key() const { return group + "/" + plural; }
};

using TypePtr = std::shared_ptr<const ResourceType>;

// The built-in kinds, in discovery order.
const std::vector<ResourceType>& builtin_kinds();

class Registry {
 public:
  Registry();

  TypePtr find(const std::string& group, const std::string& version, const std::string& plural) const;
  // Any served version of a resource (for storage-level work such as namespace cleanup).
  TypePtr find_any_version(const std::string& storage_key) const;
  // Every served type: built-ins first, then CRD types (preferred version first per group).
  std::vector<TypePtr> all() const;
  // Versions served for `group`, preferred first.
  std::vector<std::string> versions_of_group(const std::string& group) const;
  std::vector<std::string> groups() const;  // non-core groups, built-ins first

  // Replaces what CRD `crd_name` serves. An empty list unregisters it.
  void set_crd_types(const std::string& crd_name, std::vector<ResourceType> types);
  uint64_t revision() const { return revision_; }

 private:
  std::vector<TypePtr> builtins_;
  std::map<std::string, std::vector<TypePtr>> crds_;
  uint64_t revision_ = 1;
};

// Kubernetes version priority: v1 > v1beta2 > v1beta1 > v1alpha1 > other (alphabetical).
bool version_precedes(const std::string& a, const std::string& b);

}  // namespace sluice::test_apiserver
