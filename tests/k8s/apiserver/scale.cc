// The autoscaling/v1 Scale subresource of Deployments, StatefulSets and CRDs with
// subresources.scale, mapped through specReplicasPath/statusReplicasPath/labelSelectorPath.
#include "tests/k8s/apiserver/api.h"
#include "tests/k8s/apiserver/jsonpath.h"
#include "tests/k8s/apiserver/selectors.h"

namespace sluice::test_apiserver {

namespace {

long long int_at(const Json& obj, const std::string& path) {
  auto p = JsonPath::parse(path);
  const Json* v = p.ok() ? p->first(obj) : nullptr;
  return v && v->is_number_integer() ? v->get<long long>() : 0;
}

}  // namespace

Json Api::scale_of(const ResourceType& type, const Json& object) const {
  const ScaleSubresource& s = *type.scale;
  Json meta = Json::object();
  for (const char* k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (const Json* v = find_path(object, {"metadata", k})) meta[k] = *v;
  }
  Json status = {{"replicas", int_at(object, s.status_replicas_path)}};
  std::string selector;
  if (type.builtin) {
    if (const Json* sel = find_path(object, {"spec", "selector"})) selector = label_selector_string(*sel);
  } else if (!s.label_selector_path.empty()) {
    auto p = JsonPath::parse(s.label_selector_path);
    const Json* v = p.ok() ? p->first(object) : nullptr;
    if (v && v->is_string()) selector = v->get<std::string>();
  }
  if (!selector.empty()) status["selector"] = selector;
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata", meta},
          {"spec", {{"replicas", int_at(object, s.spec_replicas_path)}}},
          {"status", status}};
}

Result<Json, ApiError> Api::apply_scale(const ResourceType& type, const Json& object, const Json& scale) const {
  const Json* replicas = find_path(scale, {"spec", "replicas"});
  std::string name = string_at(object, {"metadata", "name"});
  if (!replicas || !replicas->is_number_integer() || replicas->get<long long>() < 0) {
    return Failure(
        invalid("Scale.autoscaling", "autoscaling", "Scale", name,
                {field_invalid("spec.replicas", replicas ? *replicas : Json(), "must be greater than or equal to 0")}));
  }
  auto path = JsonPath::parse(type.scale->spec_replicas_path);
  Json next = object;
  set_fields(next, path->fields(), *replicas);
  return next;
}

}  // namespace sluice::test_apiserver
