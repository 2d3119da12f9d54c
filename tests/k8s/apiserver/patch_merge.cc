// JSON merge patch, RFC 7386: objects merge recursively, null deletes, anything else
// replaces.
#include "tests/k8s/apiserver/patch.h"

namespace sluice::test_apiserver {

namespace {

Json merge(const Json& target, const Json& patch) {
  if (!patch.is_object()) return patch;
  Json out = target.is_object() ? target : Json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.value().is_null()) {
      out.erase(it.key());
    } else {
      const Json* cur = find(out, it.key());
      out[it.key()] = merge(cur ? *cur : Json(), it.value());
    }
  }
  return out;
}

}  // namespace

Result<Json, PatchError> merge_patch(const Json& target, const Json& patch) {
  // The API server decodes merge patches into a map: anything else is a bad request.
  if (!patch.is_object()) {
    return Failure(PatchError{true, std::string("json: cannot unmarshal ") + json_type_name(patch) +
                                        " into Go value of type map[string]interface {}"});
  }
  return merge(target, patch);
}

}  // namespace sluice::test_apiserver
