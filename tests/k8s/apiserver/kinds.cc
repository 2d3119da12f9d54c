#include "tests/k8s/apiserver/kinds.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace sluice::test_apiserver {

namespace {

const std::vector<std::string> kSpecStatus = {"spec", "status"};
const ScaleSubresource kReplicas{};

// One row per built-in kind. Columns come after NAME; AGE is appended for built-ins.
std::vector<ResourceType> make_builtins() {
  return {
      {.group = "",
       .version = "v1",
       .plural = "namespaces",
       .singular = "namespace",
       .kind = "Namespace",
       .namespaced = false,
       .short_names = {"ns"},
       .status_subresource = true,
       .finalize_subresource = true,
       .columns = {{.name = "Status", .json_path = ".status.phase"}},
       .fields = kSpecStatus},
      {.group = "",
       .version = "v1",
       .plural = "pods",
       .singular = "pod",
       .kind = "Pod",
       .short_names = {"po"},
       .categories = {"all"},
       .status_subresource = true,
       .columns = {{.name = "Status", .json_path = ".status.phase"},
                   {.name = "Node", .json_path = ".spec.nodeName", .priority = 1}},
       .pod_spec_path = "spec",
       .fields = kSpecStatus,
       .field_labels = {"spec.nodeName", "spec.serviceAccountName", "status.phase", "status.podIP"}},
      {.group = "",
       .version = "v1",
       .plural = "services",
       .singular = "service",
       .kind = "Service",
       .short_names = {"svc"},
       .categories = {"all"},
       .status_subresource = true,
       .columns = {{.name = "Type", .json_path = ".spec.type"}, {.name = "Cluster-IP", .json_path = ".spec.clusterIP"}},
       .fields = kSpecStatus},
      {.group = "",
       .version = "v1",
       .plural = "endpoints",
       .singular = "endpoints",
       .kind = "Endpoints",
       .short_names = {"ep"},
       .fields = {"subsets"}},
      {.group = "",
       .version = "v1",
       .plural = "configmaps",
       .singular = "configmap",
       .kind = "ConfigMap",
       .short_names = {"cm"},
       .columns = {{.name = "Data", .type = "integer", .json_path = "#.data"}},
       .fields = {"data", "binaryData", "immutable"}},
      {.group = "",
       .version = "v1",
       .plural = "secrets",
       .singular = "secret",
       .kind = "Secret",
       .columns = {{.name = "Type", .json_path = ".type"}, {.name = "Data", .type = "integer", .json_path = "#.data"}},
       .fields = {"data", "stringData", "type", "immutable"},
       .field_labels = {"type"}},
      {.group = "",
       .version = "v1",
       .plural = "serviceaccounts",
       .singular = "serviceaccount",
       .kind = "ServiceAccount",
       .short_names = {"sa"},
       .fields = {"secrets", "imagePullSecrets", "automountServiceAccountToken"}},
      {.group = "",
       .version = "v1",
       .plural = "events",
       .singular = "event",
       .kind = "Event",
       .short_names = {"ev"},
       .columns = {{.name = "Type", .json_path = ".type"},
                   {.name = "Reason", .json_path = ".reason"},
                   {.name = "Object", .json_path = "{.involvedObject.kind}/{.involvedObject.name}"},
                   {.name = "Message", .json_path = ".message"}},
       .fields = {"involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type",
                  "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance"},
       .field_labels = {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                        "reason", "reportingComponent", "source", "type"}},
      {.group = "apps",
       .version = "v1",
       .plural = "deployments",
       .singular = "deployment",
       .kind = "Deployment",
       .short_names = {"deploy"},
       .categories = {"all"},
       .status_subresource = true,
       .scale = kReplicas,
       .columns = {{.name = "Ready", .json_path = "{.status.readyReplicas}/{.spec.replicas}"},
                   {.name = "Up-to-date", .type = "integer", .json_path = ".status.updatedReplicas"},
                   {.name = "Available", .type = "integer", .json_path = ".status.availableReplicas"}},
       .pod_spec_path = "spec.template.spec",
       .fields = kSpecStatus},
      {.group = "apps",
       .version = "v1",
       .plural = "replicasets",
       .singular = "replicaset",
       .kind = "ReplicaSet",
       .short_names = {"rs"},
       .categories = {"all"},
       .status_subresource = true,
       .scale = kReplicas,
       .columns = {{.name = "Desired", .type = "integer", .json_path = ".spec.replicas"},
                   {.name = "Current", .type = "integer", .json_path = ".status.replicas"},
                   {.name = "Ready", .type = "integer", .json_path = ".status.readyReplicas"}},
       .pod_spec_path = "spec.template.spec",
       .fields = kSpecStatus},
      {.group = "apps",
       .version = "v1",
       .plural = "statefulsets",
       .singular = "statefulset",
       .kind = "StatefulSet",
       .short_names = {"sts"},
       .categories = {"all"},
       .status_subresource = true,
       .scale = kReplicas,
       .columns = {{.name = "Ready", .json_path = "{.status.readyReplicas}/{.spec.replicas}"}},
       .pod_spec_path = "spec.template.spec",
       .fields = kSpecStatus},
      {.group = "coordination.k8s.io",
       .version = "v1",
       .plural = "leases",
       .singular = "lease",
       .kind = "Lease",
       .columns = {{.name = "Holder", .json_path = ".spec.holderIdentity"}},
       .fields = {"spec"}},
      {.group = "events.k8s.io",
       .version = "v1",
       .plural = "events",
       .singular = "event",
       .kind = "Event",
       .short_names = {"ev"},
       .columns = {{.name = "Type", .json_path = ".type"},
                   {.name = "Reason", .json_path = ".reason"},
                   {.name = "Note", .json_path = ".note"}},
       .fields = {"eventTime", "series", "reportingController", "reportingInstance", "action", "reason", "regarding",
                  "related", "note", "type", "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp",
                  "deprecatedCount"}},
      {.group = "rbac.authorization.k8s.io",
       .version = "v1",
       .plural = "roles",
       .singular = "role",
       .kind = "Role",
       .fields = {"rules"}},
      {.group = "rbac.authorization.k8s.io",
       .version = "v1",
       .plural = "rolebindings",
       .singular = "rolebinding",
       .kind = "RoleBinding",
       .columns = {{.name = "Role", .json_path = "{.roleRef.kind}/{.roleRef.name}"}},
       .fields = {"subjects", "roleRef"}},
      {.group = "rbac.authorization.k8s.io",
       .version = "v1",
       .plural = "clusterroles",
       .singular = "clusterrole",
       .kind = "ClusterRole",
       .namespaced = false,
       .fields = {"rules", "aggregationRule"}},
      {.group = "rbac.authorization.k8s.io",
       .version = "v1",
       .plural = "clusterrolebindings",
       .singular = "clusterrolebinding",
       .kind = "ClusterRoleBinding",
       .namespaced = false,
       .columns = {{.name = "Role", .json_path = "{.roleRef.kind}/{.roleRef.name}"}},
       .fields = {"subjects", "roleRef"}},
      {.group = "apiextensions.k8s.io",
       .version = "v1",
       .plural = "customresourcedefinitions",
       .singular = "customresourcedefinition",
       .kind = "CustomResourceDefinition",
       .namespaced = false,
       .short_names = {"crd", "crds"},
       .categories = {"api-extensions"},
       .status_subresource = true,
       .columns = {{.name = "Created At", .json_path = ".metadata.creationTimestamp"}},
       .fields = kSpecStatus},
      {.group = "discovery.k8s.io",
       .version = "v1",
       .plural = "endpointslices",
       .singular = "endpointslice",
       .kind = "EndpointSlice",
       .columns = {{.name = "AddressType", .json_path = ".addressType"}},
       .fields = {"addressType", "endpoints", "ports"}},
      {.group = "policy",
       .version = "v1",
       .plural = "poddisruptionbudgets",
       .singular = "poddisruptionbudget",
       .kind = "PodDisruptionBudget",
       .short_names = {"pdb"},
       .status_subresource = true,
       .columns = {{.name = "Min Available", .json_path = ".spec.minAvailable"},
                   {.name = "Max Unavailable", .json_path = ".spec.maxUnavailable"},
                   {.name = "Allowed Disruptions", .type = "integer", .json_path = ".status.disruptionsAllowed"}},
       .fields = kSpecStatus},
  };
}

struct ParsedVersion {
  int major = 0;
  int stage = 0;  // 3 GA, 2 beta, 1 alpha, 0 not a Kubernetes version
  int minor = 0;
};

ParsedVersion parse_version(const std::string& v) {
  ParsedVersion p;
  if (v.size() < 2 || v[0] != 'v' || !std::isdigit(static_cast<unsigned char>(v[1]))) return p;
  size_t i = 1;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) p.major = p.major * 10 + (v[i++] - '0');
  if (i == v.size()) {
    p.stage = 3;
    return p;
  }
  std::string rest = v.substr(i);
  size_t digits;
  if (rest.rfind("beta", 0) == 0) {
    p.stage = 2;
    digits = 4;
  } else if (rest.rfind("alpha", 0) == 0) {
    p.stage = 1;
    digits = 5;
  } else {
    return ParsedVersion{};
  }
  if (digits == rest.size()) return ParsedVersion{};
  for (size_t j = digits; j < rest.size(); ++j) {
    if (!std::isdigit(static_cast<unsigned char>(rest[j]))) return ParsedVersion{};
    p.minor = p.minor * 10 + (rest[j] - '0');
  }
  return p;
}

}  // namespace

bool version_precedes(const std::string& a, const std::string& b) {
  ParsedVersion pa = parse_version(a), pb = parse_version(b);
  if (pa.stage != pb.stage) return pa.stage > pb.stage;
  if (pa.stage == 0) return a < b;
  if (pa.major != pb.major) return pa.major > pb.major;
  return pa.minor > pb.minor;
}

const std::vector<ResourceType>& builtin_kinds() {
  static const std::vector<ResourceType> kinds = make_builtins();
  return kinds;
}

Registry::Registry() {
  for (const auto& t : builtin_kinds()) builtins_.push_back(std::make_shared<const ResourceType>(t));
}

TypePtr Registry::find(const std::string& group, const std::string& version, const std::string& plural) const {
  for (const auto& t : all()) {
    if (t->group == group && t->version == version && t->plural == plural) return t;
  }
  return nullptr;
}

TypePtr Registry::find_any_version(const std::string& storage_key) const {
  for (const auto& t : all()) {
    if (t->storage_key() == storage_key) return t;
  }
  return nullptr;
}

std::vector<TypePtr> Registry::all() const {
  std::vector<TypePtr> out = builtins_;
  for (const auto& [name, types] : crds_) out.insert(out.end(), types.begin(), types.end());
  return out;
}

std::vector<std::string> Registry::versions_of_group(const std::string& group) const {
  std::vector<std::string> out;
  for (const auto& t : all()) {
    if (t->group == group && std::find(out.begin(), out.end(), t->version) == out.end()) {
      out.push_back(t->version);
    }
  }
  std::stable_sort(out.begin(), out.end(), version_precedes);
  return out;
}

std::vector<std::string> Registry::groups() const {
  std::vector<std::string> out;
  for (const auto& t : all()) {
    if (!t->group.empty() && std::find(out.begin(), out.end(), t->group) == out.end()) out.push_back(t->group);
  }
  return out;
}

void Registry::set_crd_types(const std::string& crd_name, std::vector<ResourceType> types) {
  if (types.empty()) {
    crds_.erase(crd_name);
  } else {
    std::stable_sort(types.begin(), types.end(), [](const ResourceType& a, const ResourceType& b) {
      return version_precedes(a.version, b.version);
    });
    auto& slot = crds_[crd_name];
    slot.clear();
    for (auto& t : types) slot.push_back(std::make_shared<const ResourceType>(std::move(t)));
  }
  ++revision_;
}

}  // namespace sluice::test_apiserver
