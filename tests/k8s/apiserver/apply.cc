#include "tests/k8s/apiserver/apply.h"

#include <algorithm>
#include <map>
#include <set>

#include "tests/k8s/apiserver/kinds.h"
#include "tests/k8s/apiserver/patch.h"

namespace sluice::test_apiserver {

namespace {

// A field path in FieldsV1 terms: "f:spec", "k:{\"name\":\"app\"}", "v:\"x\"", or "."
// (the list item itself).
using Path = std::vector<std::string>;
using FieldSet = std::set<Path>;

// Fields the server owns, never tracked for a manager.
bool untracked(const Path& p) {
  if (p.size() == 1) return p[0] == "f:apiVersion" || p[0] == "f:kind";
  if (p.size() == 2 && p[0] == "f:metadata") {
    return p[1] == "f:name" || p[1] == "f:namespace" || p[1] == "f:uid" || p[1] == "f:resourceVersion" ||
           p[1] == "f:generation" || p[1] == "f:creationTimestamp" || p[1] == "f:managedFields" ||
           p[1] == "f:deletionTimestamp" || p[1] == "f:deletionGracePeriodSeconds";
  }
  return false;
}

std::string item_key(const Json& item, const std::vector<std::string>& keys) {
  Json k = Json::object();
  for (const auto& name : keys) {
    if (const Json* v = find(item, name)) k[name] = *v;
  }
  return "k:" + k.dump();
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

struct Walker {
  const ListSemanticsLookup& lookup;

  void collect(const Json& value, Path& path, const std::string& schema_path, FieldSet& out) const {
    if (value.is_object() && !value.empty()) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        path.push_back("f:" + it.key());
        if (!untracked(path)) collect(it.value(), path, join(schema_path, it.key()), out);
        path.pop_back();
      }
      return;
    }
    if (value.is_array()) {
      ListSemantics s = lookup(schema_path);
      if (s.kind == ListSemantics::Map) {
        for (const auto& item : value) {
          path.push_back(item_key(item, s.keys));
          path.push_back(".");
          out.insert(path);
          path.pop_back();
          if (item.is_object()) {
            for (auto it = item.begin(); it != item.end(); ++it) {
              path.push_back("f:" + it.key());
              collect(it.value(), path, join(schema_path + "[]", it.key()), out);
              path.pop_back();
            }
          }
          path.pop_back();
        }
        return;
      }
      if (s.kind == ListSemantics::Set) {
        for (const auto& item : value) {
          path.push_back("v:" + item.dump());
          out.insert(path);
          path.pop_back();
        }
        return;
      }
    }
    out.insert(path);
  }

  // Finds the value at `path`; `parent`/`index` locate it for removal.
  static Json* resolve(Json& root, const Path& path, const ListSemanticsLookup& lookup, Json** parent_out,
                       std::string* key_out, long* index_out) {
    Json* cur = &root;
    std::string schema_path;
    for (size_t i = 0; i < path.size(); ++i) {
      const std::string& el = path[i];
      if (parent_out) *parent_out = cur;
      if (el == ".") return cur;
      if (el.rfind("f:", 0) == 0) {
        std::string name = el.substr(2);
        Json* next = find(*cur, name);
        if (!next) return nullptr;
        if (key_out) *key_out = name;
        if (index_out) *index_out = -1;
        schema_path = join(schema_path, name);
        cur = next;
      } else if (cur->is_array()) {
        ListSemantics s = lookup(schema_path);
        long found = -1;
        for (size_t j = 0; j < cur->size(); ++j) {
          const Json& item = (*cur)[j];
          bool match = el.rfind("k:", 0) == 0 ? item_key(item, s.keys) == el : "v:" + item.dump() == el;
          if (match) {
            found = static_cast<long>(j);
            break;
          }
        }
        if (found < 0) return nullptr;
        if (index_out) *index_out = found;
        schema_path += "[]";
        cur = &(*cur)[static_cast<size_t>(found)];
        if (i + 1 < path.size() && path[i + 1] == ".") {
          return cur;  // the item itself; parent is the list
        }
      } else {
        return nullptr;
      }
    }
    return cur;
  }

  void remove(Json& root, const Path& path) const {
    Json* parent = nullptr;
    std::string key;
    long index = -1;
    if (!resolve(root, path, lookup, &parent, &key, &index) || !parent) return;
    if (index >= 0 && parent->is_array()) {
      parent->erase(parent->begin() + index);
    } else if (parent->is_object()) {
      parent->erase(key);
    }
    // Drop maps this removal left empty.
    for (Path p = path; p.size() > 1;) {
      p.pop_back();
      if (!p.empty() && p.back() == ".") p.pop_back();
      if (p.empty()) break;
      Json* v = resolve(root, p, lookup, nullptr, nullptr, nullptr);
      if (!v || !v->is_object() || !v->empty() || p.back().rfind("f:", 0) != 0) break;
      remove(root, p);
    }
  }

  Json merge(const Json& live, const Json& applied, const std::string& schema_path) const {
    if (applied.is_object()) {
      Json out = live.is_object() ? live : Json::object();
      for (auto it = applied.begin(); it != applied.end(); ++it) {
        if (it.value().is_null()) {
          out.erase(it.key());
          continue;
        }
        const Json* cur = find(out, it.key());
        out[it.key()] = merge(cur ? *cur : Json(), it.value(), join(schema_path, it.key()));
      }
      return out;
    }
    if (applied.is_array() && live.is_array()) {
      ListSemantics s = lookup(schema_path);
      if (s.kind == ListSemantics::Map) {
        Json out = live;
        for (const auto& item : applied) {
          std::string k = item_key(item, s.keys);
          auto pos = std::find_if(out.begin(), out.end(), [&](const Json& e) { return item_key(e, s.keys) == k; });
          if (pos != out.end()) {
            *pos = merge(*pos, item, schema_path + "[]");
          } else {
            out.push_back(item);
          }
        }
        return out;
      }
      if (s.kind == ListSemantics::Set) {
        Json out = live;
        for (const auto& item : applied) {
          if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
        }
        return out;
      }
    }
    return applied;
  }
};

Json to_fields_v1(const FieldSet& set) {
  Json tree = Json::object();
  for (const auto& path : set) {
    Json* cur = &tree;
    for (const auto& el : path) cur = &object_member(*cur, el);
  }
  return tree;
}

void from_fields_v1(const Json& tree, Path& path, FieldSet& out) {
  if (!tree.is_object()) return;
  if (tree.empty() && !path.empty()) {
    out.insert(path);
    return;
  }
  for (auto it = tree.begin(); it != tree.end(); ++it) {
    path.push_back(it.key());
    from_fields_v1(it.value(), path, out);
    path.pop_back();
  }
}

std::string describe(const Path& path) {
  std::string out;
  for (const auto& el : path) {
    if (el == ".") continue;
    if (el.rfind("f:", 0) == 0) {
      out += "." + el.substr(2);
    } else if (el.rfind("k:", 0) == 0) {
      Json k = Json::parse(el.substr(2), nullptr, false);
      std::string inner;
      if (k.is_object()) {
        for (auto it = k.begin(); it != k.end(); ++it)
          inner += (inner.empty() ? "" : ",") + it.key() + "=" + it.value().dump();
      }
      out += "[" + inner + "]";
    } else {
      out += "[" + el.substr(2) + "]";
    }
  }
  return out;
}

}  // namespace

ListSemanticsLookup builtin_list_semantics(const ResourceType& type) {
  StrategyLookup s = builtin_strategies(type);
  return [s](const std::string& path) -> ListSemantics {
    ListStrategy st = s(path);
    if (st.kind == ListStrategy::MergeByKey) return {ListSemantics::Map, {st.key}};
    if (st.kind == ListStrategy::MergePrimitive) return {ListSemantics::Set, {}};
    return {};
  };
}

ApplyOutcome server_side_apply(const Json* live, const Json& applied, const std::string& manager, bool force,
                               const ListSemanticsLookup& lookup, const std::string& api_version,
                               const std::string& now) {
  Walker w{lookup};
  FieldSet applied_set;
  Path scratch;
  w.collect(applied, scratch, "", applied_set);

  Json object = live ? *live : Json::object();
  Json managed = Json::array();
  if (const Json* mf = find_path(object, {"metadata", "managedFields"}); mf && mf->is_array()) managed = *mf;

  // Ownership of the other Apply managers.
  std::map<std::string, FieldSet> others;
  FieldSet previous;
  for (const auto& entry : managed) {
    if (string_at(entry, {"operation"}) != "Apply") continue;
    FieldSet s;
    Path p;
    if (const Json* f = find(entry, "fieldsV1")) from_fields_v1(*f, p, s);
    if (string_at(entry, {"manager"}) == manager) {
      previous = std::move(s);
    } else {
      others[string_at(entry, {"manager"})] = std::move(s);
    }
  }

  ApplyOutcome outcome;
  Json applied_copy = applied;  // resolve() wants a mutable document
  for (auto& [other, owned] : others) {
    std::vector<Path> lost;
    for (const auto& path : applied_set) {
      if (!owned.count(path) || path.back() == ".") continue;
      const Json* want = Walker::resolve(applied_copy, path, lookup, nullptr, nullptr, nullptr);
      const Json* have = Walker::resolve(object, path, lookup, nullptr, nullptr, nullptr);
      if (want && have && *want == *have) continue;
      if (force) {
        lost.push_back(path);
      } else {
        outcome.conflicts.push_back({other, describe(path)});
      }
    }
    for (const auto& p : lost) owned.erase(p);
  }
  if (!outcome.conflicts.empty()) {
    outcome.object = object;
    return outcome;
  }

  // Fields this manager applied before but no longer does, and nobody else owns.
  for (const auto& path : previous) {
    if (applied_set.count(path)) continue;
    bool shared = false;
    for (const auto& [other, owned] : others) shared |= owned.count(path) > 0;
    if (!shared) w.remove(object, path);
  }
  object = w.merge(object, applied, "");

  Json entries = Json::array();
  bool placed = false;
  for (const auto& entry : managed) {
    std::string m = string_at(entry, {"manager"});
    bool apply = string_at(entry, {"operation"}) == "Apply";
    if (apply && m == manager) {
      placed = true;
      Json e = entry;
      if (previous != applied_set) e["time"] = now;
      e["apiVersion"] = api_version;
      e["fieldsV1"] = to_fields_v1(applied_set);
      entries.push_back(e);
    } else if (apply && others.count(m)) {
      Json e = entry;
      e["fieldsV1"] = to_fields_v1(others[m]);
      entries.push_back(e);
    } else {
      entries.push_back(entry);
    }
  }
  if (!placed) {
    entries.push_back({{"manager", manager},
                       {"operation", "Apply"},
                       {"apiVersion", api_version},
                       {"time", now},
                       {"fieldsType", "FieldsV1"},
                       {"fieldsV1", to_fields_v1(applied_set)}});
  }
  object_member(object, "metadata")["managedFields"] = entries;
  outcome.object = std::move(object);
  return outcome;
}

}  // namespace sluice::test_apiserver
