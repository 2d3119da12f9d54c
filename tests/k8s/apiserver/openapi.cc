#include "tests/k8s/apiserver/openapi.h"

#include <algorithm>
#include <cstdio>

#include "tests/k8s/apiserver/schema_validation.h"

namespace sluice::test_apiserver {

namespace {

std::string gv_path_of(const std::string& group, const std::string& version) {
  return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
}

// "io.sluice.v1alpha1.Queue": reversed group, as Kubernetes names definitions.
std::string definition_name(const ResourceType& t) {
  std::string reversed;
  std::string g = t.group;
  while (!g.empty()) {
    size_t dot = g.rfind('.');
    std::string part = dot == std::string::npos ? g : g.substr(dot + 1);
    reversed += (reversed.empty() ? "" : ".") + part;
    g = dot == std::string::npos ? "" : g.substr(0, dot);
  }
  return (reversed.empty() ? "io.k8s.api.core" : reversed) + "." + t.version + "." + t.kind;
}

Json gvk(const ResourceType& t, const std::string& kind) {
  return {{"group", kind == "Scale" ? "autoscaling" : t.group},
          {"version", kind == "Scale" ? "v1" : t.version},
          {"kind", kind}};
}

Json query_param(const char* name, const char* description) {
  return {{"name", name},
          {"in", "query"},
          {"description", description},
          {"schema", {{"type", "string"}, {"uniqueItems", true}}}};
}

Json write_operation(const ResourceType& t, const std::string& kind, const std::string& verb, bool patch) {
  Json params = Json::array(
      {query_param("dryRun", "When present, indicates that modifications should not be persisted."),
       query_param("fieldManager",
                   "fieldManager is a name associated with the actor or entity that is making these changes."),
       query_param("fieldValidation", "Ignore, Warn or Strict: how the server treats unknown or duplicate fields.")});
  if (patch) params.push_back(query_param("force", "Force is going to \"force\" Apply requests."));
  Json op = {{"operationId", verb + t.kind},
             {"parameters", params},
             {"responses", {{"200", {{"description", "OK"}}}}},
             {"x-kubernetes-action", verb},
             {"x-kubernetes-group-version-kind", gvk(t, kind)}};
  // Custom resources list their patch types, without strategic merge patch. Built-ins list
  // none, so kubectl does not try to build a strategic patch from these (schema-less)
  // documents and uses its compiled-in types instead.
  if (patch && !t.builtin) {
    op["requestBody"] = {{"content",
                          {{"application/json-patch+json", {{"schema", Json::object()}}},
                           {"application/merge-patch+json", {{"schema", Json::object()}}},
                           {"application/apply-patch+yaml", {{"schema", Json::object()}}}}}};
  }
  return op;
}

Json crd_component(const ResourceType& t, const Json& openapi_schema) {
  Json s = openapi_schema.is_object() ? openapi_schema : Json{{"type", "object"}};
  Json& props = object_member(s, "properties");
  props["apiVersion"] = {
      {"type", "string"},
      {"description", "APIVersion defines the versioned schema of this representation of an object."}};
  props["kind"] = {{"type", "string"},
                   {"description", "Kind is a string value representing the REST resource this object represents."}};
  props["metadata"] = {{"type", "object"}, {"description", "Standard object's metadata."}};
  s["x-kubernetes-group-version-kind"] = Json::array({gvk(t, t.kind)});
  return s;
}

std::string fnv_hash(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::optional<Json> openapi_document(const Registry& registry, const std::string& gv_path) {
  Json paths = Json::object();
  Json schemas = Json::object();
  bool any = false;
  for (const auto& t : registry.all()) {
    if (gv_path_of(t->group, t->version) != gv_path) continue;
    any = true;
    std::string base = "/" + gv_path + "/" + (t->namespaced ? "namespaces/{namespace}/" : "") + t->plural;
    paths[base] = {{"post", write_operation(*t, t->kind, "post", false)}};
    paths[base + "/{name}"] = {{"put", write_operation(*t, t->kind, "put", false)},
                               {"patch", write_operation(*t, t->kind, "patch", true)}};
    if (t->status_subresource) {
      paths[base + "/{name}/status"] = {{"put", write_operation(*t, t->kind, "put", false)},
                                        {"patch", write_operation(*t, t->kind, "patch", true)}};
    }
    if (t->scale) {
      paths[base + "/{name}/scale"] = {{"put", write_operation(*t, "Scale", "put", false)},
                                       {"patch", write_operation(*t, "Scale", "patch", true)}};
    }
    if (!t->builtin && t->schema)
      schemas[definition_name(*t)] = crd_component(*t, Json::parse(t->openapi_schema, nullptr, false));
  }
  if (!any) return std::nullopt;
  return Json{{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
              {"paths", paths},
              {"components", {{"schemas", schemas}}}};
}

Json openapi_root(const Registry& registry) {
  Json paths = Json::object();
  std::vector<std::string> seen;
  for (const auto& t : registry.all()) {
    std::string p = gv_path_of(t->group, t->version);
    if (std::find(seen.begin(), seen.end(), p) != seen.end()) continue;
    seen.push_back(p);
    auto doc = openapi_document(registry, p);
    paths[p] = {{"serverRelativeURL", "/openapi/v3/" + p + "?hash=" + fnv_hash(doc->dump())}};
  }
  return {{"paths", paths}};
}

}  // namespace sluice::test_apiserver
