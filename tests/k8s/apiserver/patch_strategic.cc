// Strategic merge patch for built-in kinds: like a JSON merge patch, except that lists
// named by the Kubernetes API types merge by a key (containers by name, ...) or as sets
// (finalizers), and the $-directives kubectl emits are honoured.
#include <algorithm>
#include <map>

#include "tests/k8s/apiserver/kinds.h"
#include "tests/k8s/apiserver/patch.h"

namespace sluice::test_apiserver {

namespace {

constexpr std::string_view kSetOrder = "$setElementOrder/";
constexpr std::string_view kDeleteFromPrimitive = "$deleteFromPrimitiveList/";

// Merge keys inside a PodSpec, relative to it.
const std::map<std::string, ListStrategy>& pod_spec_strategies() {
  static const std::map<std::string, ListStrategy> m = [] {
    std::map<std::string, ListStrategy> r;
    for (std::string c : {"containers", "initContainers", "ephemeralContainers"}) {
      r[c] = {ListStrategy::MergeByKey, "name"};
      r[c + "[].ports"] = {ListStrategy::MergeByKey, "containerPort"};
      r[c + "[].env"] = {ListStrategy::MergeByKey, "name"};
      r[c + "[].volumeMounts"] = {ListStrategy::MergeByKey, "mountPath"};
      r[c + "[].volumeDevices"] = {ListStrategy::MergeByKey, "devicePath"};
      r[c + "[].resizePolicy"] = {ListStrategy::MergeByKey, "resourceName"};
    }
    r["volumes"] = {ListStrategy::MergeByKey, "name"};
    r["imagePullSecrets"] = {ListStrategy::MergeByKey, "name"};
    r["hostAliases"] = {ListStrategy::MergeByKey, "ip"};
    r["topologySpreadConstraints"] = {ListStrategy::MergeByKey, "topologyKey"};
    r["schedulingGates"] = {ListStrategy::MergeByKey, "name"};
    r["resourceClaims"] = {ListStrategy::MergeByKey, "name"};
    return r;
  }();
  return m;
}

struct Patcher {
  const StrategyLookup& lookup;
  std::string error;

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  static std::string key_of(const Json& item, const std::string& key) {
    const Json* v = find(item, key);
    return v ? v->dump() : std::string();
  }

  // Orders `merged` by the patch's $setElementOrder list, keeping server-only items
  // where they were relative to the original list (apimachinery's normalizeElementOrder).
  Json set_order(const Json& merged, const Json& order, const Json& original, const ListStrategy& s) {
    auto id = [&](const Json& item) { return s.kind == ListStrategy::MergeByKey ? key_of(item, s.key) : item.dump(); };
    auto index_in = [&](const Json& list, const std::string& k) -> long {
      if (!list.is_array()) return -1;
      for (size_t i = 0; i < list.size(); ++i) {
        if (id(list[i]) == k) return static_cast<long>(i);
      }
      return -1;
    };
    std::vector<Json> left, right;
    for (const auto& o : order) {
      for (const auto& m : merged) {
        if (id(m) == id(o)) {
          left.push_back(m);
          break;
        }
      }
    }
    for (const auto& m : merged) {
      if (index_in(order, id(m)) < 0) right.push_back(m);
    }
    std::stable_sort(right.begin(), right.end(), [&](const Json& a, const Json& b) {
      return index_in(original, id(a)) < index_in(original, id(b));
    });
    Json out = Json::array();
    size_t i = 0, j = 0;
    while (i < left.size() || j < right.size()) {
      if (i >= left.size()) {
        out.push_back(right[j++]);
      } else if (j >= right.size()) {
        out.push_back(left[i++]);
      } else {
        long li = index_in(original, id(left[i])), ri = index_in(original, id(right[j]));
        if (li >= 0 && ri >= 0 && ri < li) {
          out.push_back(right[j++]);
        } else {
          out.push_back(left[i++]);
        }
      }
    }
    return out;
  }

  bool merge_list(const Json& original, const Json& patch, const ListStrategy& s, const std::string& path, Json& out) {
    Json result = original.is_array() ? original : Json::array();
    if (s.kind == ListStrategy::MergePrimitive) {
      for (const auto& v : patch) {
        if (v.is_object()) {
          error = "strategic merge patch: directives are not supported in primitive list " + path;
          return false;
        }
        if (std::find(result.begin(), result.end(), v) == result.end()) result.push_back(v);
      }
      out = std::move(result);
      return true;
    }
    // {"$patch": "replace"} anywhere in the list replaces it with the other items.
    for (const auto& item : patch) {
      if (string_at(item, {"$patch"}) == "replace") {
        Json replaced = Json::array();
        for (const auto& other : patch) {
          if (string_at(other, {"$patch"}) == "replace") continue;
          Json clean;
          if (!merge_map(Json::object(), other, path + "[]", clean)) return false;
          replaced.push_back(clean);
        }
        out = std::move(replaced);
        return true;
      }
    }
    for (const auto& item : patch) {
      if (!item.is_object()) {
        error = "strategic merge patch: list " + path + " merges by \"" + s.key + "\" but holds a non-object item";
        return false;
      }
      std::string directive = string_at(item, {"$patch"});
      if (!find(item, s.key)) {
        error = "map: " + item.dump() + " does not contain declared merge key: " + s.key;
        return false;
      }
      std::string k = key_of(item, s.key);
      auto pos = std::find_if(result.begin(), result.end(), [&](const Json& e) { return key_of(e, s.key) == k; });
      if (directive == "delete") {
        result.erase(std::remove_if(result.begin(), result.end(), [&](const Json& e) { return key_of(e, s.key) == k; }),
                     result.end());
        continue;
      }
      if (!directive.empty() && directive != "merge") {
        error = "Unknown patch type: " + directive + " in list " + path;
        return false;
      }
      Json merged;
      if (!merge_map(pos != result.end() ? *pos : Json::object(), item, path + "[]", merged)) return false;
      if (pos != result.end()) {
        *pos = std::move(merged);
      } else {
        result.push_back(std::move(merged));
      }
    }
    out = std::move(result);
    return true;
  }

  bool merge_map(const Json& original, const Json& patch, const std::string& path, Json& out) {
    std::string directive = string_at(patch, {"$patch"});
    Json result = original.is_object() ? original : Json::object();
    if (directive == "replace") {
      result = Json::object();
    } else if (!directive.empty() && directive != "merge" && directive != "delete") {
      error = "Unknown patch type: " + directive + " in map " + (path.empty() ? "<root>" : path);
      return false;
    }
    std::map<std::string, Json> orders, deletions;
    for (auto it = patch.begin(); it != patch.end(); ++it) {
      const std::string& key = it.key();
      const Json& value = it.value();
      if (key == "$patch" || key == "$retainKeys") continue;
      if (key.rfind(kSetOrder, 0) == 0) {
        orders[key.substr(kSetOrder.size())] = value;
        continue;
      }
      if (key.rfind(kDeleteFromPrimitive, 0) == 0) {
        deletions[key.substr(kDeleteFromPrimitive.size())] = value;
        continue;
      }
      if (!key.empty() && key[0] == '$') {
        error = "strategic merge patch: unknown directive " + key;
        return false;
      }
      std::string child = join(path, key);
      const Json* cur = find(result, key);
      if (value.is_null()) {
        result.erase(key);
      } else if (value.is_object()) {
        if (string_at(value, {"$patch"}) == "delete") {
          result.erase(key);
          continue;
        }
        Json merged;
        if (!merge_map(cur ? *cur : Json::object(), value, child, merged)) return false;
        result[key] = std::move(merged);
      } else if (value.is_array()) {
        ListStrategy s = lookup(child);
        if (s.kind == ListStrategy::Atomic) {
          result[key] = value;
        } else {
          Json merged;
          if (!merge_list(cur ? *cur : Json::array(), value, s, child, merged)) return false;
          result[key] = std::move(merged);
        }
      } else {
        result[key] = value;
      }
    }
    for (const auto& [field, values] : deletions) {
      Json* list = find(result, field);
      if (!list || !list->is_array() || !values.is_array()) continue;
      list->erase(
          std::remove_if(list->begin(), list->end(),
                         [&](const Json& v) { return std::find(values.begin(), values.end(), v) != values.end(); }),
          list->end());
    }
    for (const auto& [field, order] : orders) {
      Json* list = find(result, field);
      if (!list || !list->is_array() || !order.is_array()) continue;
      ListStrategy s = lookup(join(path, field));
      const Json* before = find(original, field);
      *list = set_order(*list, order, before ? *before : Json::array(), s);
    }
    if (const Json* retain = find(patch, "$retainKeys")) {
      if (!retain->is_array()) {
        error = "$retainKeys must be a list";
        return false;
      }
      for (auto it = result.begin(); it != result.end();) {
        if (std::find(retain->begin(), retain->end(), Json(it.key())) == retain->end()) {
          it = result.erase(it);
        } else {
          ++it;
        }
      }
    }
    out = std::move(result);
    return true;
  }
};

}  // namespace

StrategyLookup builtin_strategies(const ResourceType& type) {
  std::string pod_prefix = type.pod_spec_path.empty() ? std::string() : type.pod_spec_path + ".";
  std::string kind = type.kind;
  return [pod_prefix, kind](const std::string& path) -> ListStrategy {
    if (path == "metadata.finalizers") return {ListStrategy::MergePrimitive, ""};
    if (path == "metadata.ownerReferences") return {ListStrategy::MergeByKey, "uid"};
    if (path == "status.conditions") return {ListStrategy::MergeByKey, "type"};
    if (kind == "Service" && path == "spec.ports") return {ListStrategy::MergeByKey, "port"};
    if (kind == "ServiceAccount" && (path == "secrets" || path == "imagePullSecrets")) {
      return {ListStrategy::MergeByKey, "name"};
    }
    if (!pod_prefix.empty() && path.rfind(pod_prefix, 0) == 0) {
      const auto& m = pod_spec_strategies();
      auto it = m.find(path.substr(pod_prefix.size()));
      if (it != m.end()) return it->second;
    }
    return {};
  };
}

Result<Json, PatchError> strategic_merge_patch(const Json& target, const Json& patch, const StrategyLookup& lookup) {
  if (!patch.is_object()) {
    return Failure(PatchError{true, std::string("json: cannot unmarshal ") + json_type_name(patch) +
                                        " into Go value of type map[string]interface {}"});
  }
  Patcher p{lookup, {}};
  Json out;
  if (!p.merge_map(target, patch, "", out)) return Failure(PatchError{false, p.error});
  return out;
}

}  // namespace sluice::test_apiserver
