// Deletion and what follows it: finalizers and deletionTimestamp, namespaces that
// terminate once their content is gone, CRDs that take their custom resources with
// them, and garbage collection through ownerReferences. sweep() runs after every
// write until nothing changes, so a namespace never stays Terminating once its last
// finalizer is removed.
#include <algorithm>
#include <set>

#include "tests/k8s/apiserver/api.h"
#include "tests/k8s/apiserver/crd.h"

namespace sluice::test_apiserver {

namespace {

constexpr const char* kNamespaces = "/namespaces";
constexpr const char* kCrds = "apiextensions.k8s.io/customresourcedefinitions";

bool is_deleting(const Json& o) { return find_path(o, {"metadata", "deletionTimestamp"}) != nullptr; }

bool has_finalizers(const Json& o) {
  const Json* f = find_path(o, {"metadata", "finalizers"});
  return f && f->is_array() && !f->empty();
}

bool is_namespace(const ResourceType& t) { return t.group.empty() && t.plural == "namespaces"; }
bool is_crd(const ResourceType& t) {
  return t.group == "apiextensions.k8s.io" && t.plural == "customresourcedefinitions";
}

// Conditions compared without their timestamps.
Json condition_identity(const Json& conditions) {
  Json out = Json::array();
  if (conditions.is_array()) {
    for (auto c : conditions) {
      c.erase("lastTransitionTime");
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Json Api::delete_object(const ResourceType& type, const Json& object, bool orphan) {
  if (is_deleting(object)) return object;
  if (has_finalizers(object) || is_namespace(type) || is_crd(type)) {
    Json next = object;
    next["metadata"]["deletionTimestamp"] = now_string();
    next["metadata"]["deletionGracePeriodSeconds"] = 0;
    if (is_namespace(type)) next["status"]["phase"] = "Terminating";
    if (is_crd(type)) next["metadata"]["finalizers"].push_back(kCrdCleanupFinalizer);
    Json stored = store_.update(type.storage_key(), next);
    after_write(type, &object, &stored);
    return stored;
  }
  Json removed = store_.remove(type.storage_key(), string_at(object, {"metadata", "namespace"}),
                               string_at(object, {"metadata", "name"}));
  pending_gc_.emplace_back(string_at(object, {"metadata", "uid"}), orphan);
  after_write(type, &object, nullptr);
  return removed;
}

void Api::sweep() {
  for (int round = 0; round < 1000; ++round) {
    bool changed = collect_garbage();
    changed = finish_namespaces() || changed;
    changed = finish_crds() || changed;
    if (!changed) return;
  }
}

bool Api::finish_namespaces() {
  bool changed = false;
  TypePtr ns_type = registry_.find("", "v1", "namespaces");
  std::vector<Json> terminating;
  for (const Json* ns : store_.list(kNamespaces, nullptr)) {
    if (is_deleting(*ns)) terminating.push_back(*ns);
  }
  for (const Json& ns : terminating) {
    std::string name = string_at(ns, {"metadata", "name"});
    std::vector<std::pair<std::string, Json>> content;
    for (const auto& [key, obj] : store_.in_namespace(name)) content.emplace_back(key, *obj);
    for (const auto& [key, obj] : content) {
      if (is_deleting(obj)) continue;
      TypePtr t = registry_.find_any_version(key);
      if (t) {
        delete_object(*t, obj, false);
      } else {
        store_.remove(key, name, string_at(obj, {"metadata", "name"}));
      }
      changed = true;
    }
    // Tell the user what is holding the namespace, as the namespace controller does.
    std::map<std::string, int> remaining, finalizers;
    for (const auto& [key, obj] : store_.in_namespace(name)) {
      TypePtr t = registry_.find_any_version(key);
      ++remaining[t ? t->group_resource() : key];
      if (const Json* f = find_path(*obj, {"metadata", "finalizers"}); f && f->is_array()) {
        for (const auto& v : *f) ++finalizers[v.is_string() ? v.get<std::string>() : v.dump()];
      }
    }
    Json next = ns;
    if (remaining.empty()) {
      Json& spec_finalizers = object_member(next, "spec")["finalizers"];
      if (spec_finalizers.is_array()) {
        spec_finalizers.erase(std::remove(spec_finalizers.begin(), spec_finalizers.end(), Json("kubernetes")),
                              spec_finalizers.end());
      }
      if ((!spec_finalizers.is_array() || spec_finalizers.empty()) && !has_finalizers(next)) {
        store_.remove(kNamespaces, "", name);
        after_write(*ns_type, &ns, nullptr);
        changed = true;
        continue;
      }
    }
    Json conditions = Json::array();
    std::string now = now_string();
    if (!remaining.empty()) {
      std::string msg;
      for (const auto& [r, n] : remaining)
        msg += (msg.empty() ? "" : ", ") + r + " has " + std::to_string(n) + " resource instances";
      conditions.push_back({{"type", "NamespaceContentRemaining"},
                            {"status", "True"},
                            {"reason", "SomeResourcesRemain"},
                            {"message", "Some resources are remaining: " + msg},
                            {"lastTransitionTime", now}});
    }
    if (!finalizers.empty()) {
      std::string msg;
      for (const auto& [f, n] : finalizers)
        msg += (msg.empty() ? "" : ", ") + f + " in " + std::to_string(n) + " resource instances";
      conditions.push_back({{"type", "NamespaceFinalizersRemaining"},
                            {"status", "True"},
                            {"reason", "SomeFinalizersRemain"},
                            {"message", "Some content in the namespace has finalizers remaining: " + msg},
                            {"lastTransitionTime", now}});
    }
    const Json* current = find_path(ns, {"status", "conditions"});
    if (condition_identity(current ? *current : Json::array()) != condition_identity(conditions) ||
        next["spec"] != ns["spec"]) {
      next["status"]["conditions"] = conditions;
      Json stored = store_.update(kNamespaces, next);
      after_write(*ns_type, &ns, &stored);
      changed = true;
    }
  }
  return changed;
}

bool Api::finish_crds() {
  bool changed = false;
  TypePtr crd_type = registry_.find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  std::vector<Json> terminating;
  for (const Json* crd : store_.list(kCrds, nullptr)) {
    if (is_deleting(*crd)) terminating.push_back(*crd);
  }
  for (const Json& crd : terminating) {
    std::string key = crd_storage_key(crd);
    TypePtr t = registry_.find_any_version(key);
    std::vector<Json> instances;
    for (const Json* o : store_.list(key, nullptr)) instances.push_back(*o);
    for (const Json& o : instances) {
      if (is_deleting(o)) continue;
      if (t) {
        delete_object(*t, o, false);
      } else {
        store_.remove(key, string_at(o, {"metadata", "namespace"}), string_at(o, {"metadata", "name"}));
      }
      changed = true;
    }
    if (!store_.list(key, nullptr).empty()) continue;
    Json next = crd;
    Json& f = next["metadata"]["finalizers"];
    f.erase(std::remove(f.begin(), f.end(), Json(kCrdCleanupFinalizer)), f.end());
    if (f.empty()) {
      store_.remove(kCrds, "", string_at(crd, {"metadata", "name"}));
      after_write(*crd_type, &crd, nullptr);
    } else {
      Json stored = store_.update(kCrds, next);
      after_write(*crd_type, &crd, &stored);
    }
    changed = true;
  }
  return changed;
}

bool Api::collect_garbage() {
  if (pending_gc_.empty()) return false;
  auto pending = std::move(pending_gc_);
  pending_gc_.clear();
  std::set<std::string> alive;
  store_.for_each([&](const std::string&, const Json& o) { alive.insert(string_at(o, {"metadata", "uid"})); });
  bool changed = false;
  for (const auto& [uid, orphan] : pending) {
    std::vector<std::pair<std::string, Json>> dependents;
    store_.for_each([&](const std::string& key, const Json& o) {
      const Json* refs = find_path(o, {"metadata", "ownerReferences"});
      if (!refs || !refs->is_array()) return;
      for (const auto& r : *refs) {
        if (string_at(r, {"uid"}) == uid) {
          dependents.emplace_back(key, o);
          return;
        }
      }
    });
    for (auto& [key, o] : dependents) {
      TypePtr t = registry_.find_any_version(key);
      if (!t) continue;
      Json refs = Json::array();
      bool owner_alive = false;
      for (const auto& r : o["metadata"]["ownerReferences"]) {
        if (!alive.count(string_at(r, {"uid"}))) continue;  // dangling: drop it
        refs.push_back(r);
        owner_alive = true;
      }
      if (!owner_alive && !orphan) {
        delete_object(*t, o, false);
      } else {
        Json next = o;
        if (refs.empty()) next["metadata"].erase("ownerReferences");
        else next["metadata"]["ownerReferences"] = refs;
        Json stored = store_.update(key, next);
        after_write(*t, &o, &stored);
      }
      changed = true;
    }
  }
  return changed;
}

void Api::after_write(const ResourceType& type, const Json* old, const Json* now) {
  if (is_crd(type)) {
    const Json* crd = now ? now : old;
    std::string name = string_at(*crd, {"metadata", "name"});
    if (now) {
      auto types = crd_resource_types(*now);
      if (types.ok()) registry_.set_crd_types(name, std::move(*types));
    } else {
      registry_.set_crd_types(name, {});
    }
  }
  if (now && (type.kind == "Deployment" || type.kind == "StatefulSet") && type.group == "apps") {
    const Json* g_new = find_path(*now, {"metadata", "generation"});
    const Json* g_old = old ? find_path(*old, {"metadata", "generation"}) : nullptr;
    if (!old || !g_old || !g_new || *g_old != *g_new) schedule_fake_status(type, *now);
  }
  changed_.notify_all();
}

}  // namespace sluice::test_apiserver
