#include "tests/k8s/apiserver/store.h"

#include <algorithm>

namespace sluice::test_apiserver {

namespace {

void stamp(Json& object, uint64_t rv) { object_member(object, "metadata")["resourceVersion"] = std::to_string(rv); }

std::string ns_of(const Json& o) { return string_at(o, {"metadata", "namespace"}); }
std::string name_of(const Json& o) { return string_at(o, {"metadata", "name"}); }

}  // namespace

const Json* Store::get(const std::string& key, const std::string& ns, const std::string& name) const {
  auto t = objects_.find(key);
  if (t == objects_.end()) return nullptr;
  auto o = t->second.find(id(ns, name));
  return o == t->second.end() ? nullptr : &o->second;
}

std::vector<const Json*> Store::list(const std::string& key, const std::string* ns) const {
  std::vector<const Json*> out;
  auto t = objects_.find(key);
  if (t == objects_.end()) return out;
  for (const auto& [k, obj] : t->second) {
    if (!ns || ns_of(obj) == *ns) out.push_back(&obj);
  }
  return out;
}

std::vector<std::pair<std::string, const Json*>> Store::in_namespace(const std::string& ns) const {
  std::vector<std::pair<std::string, const Json*>> out;
  for (const auto& [key, objs] : objects_) {
    for (const auto& [k, obj] : objs) {
      if (ns_of(obj) == ns) out.emplace_back(key, &obj);
    }
  }
  return out;
}

void Store::for_each(const std::function<void(const std::string& key, const Json& obj)>& f) const {
  for (const auto& [key, objs] : objects_) {
    for (const auto& [k, obj] : objs) f(key, obj);
  }
}

Json Store::create(const std::string& key, Json object) {
  stamp(object, ++rv_);
  objects_[key][id(ns_of(object), name_of(object))] = object;
  record({rv_, "ADDED", key, object, nullptr});
  return object;
}

Json Store::update(const std::string& key, Json object) {
  Json& slot = objects_[key][id(ns_of(object), name_of(object))];
  Json previous = slot;
  stamp(object, ++rv_);
  slot = object;
  record({rv_, "MODIFIED", key, object, std::move(previous)});
  return object;
}

Json Store::remove(const std::string& key, const std::string& ns, const std::string& name) {
  auto& objs = objects_[key];
  auto it = objs.find(id(ns, name));
  if (it == objs.end()) return nullptr;
  Json object = std::move(it->second);
  objs.erase(it);
  // The DELETED event carries the deletion's resourceVersion, as etcd3 watches do.
  stamp(object, ++rv_);
  record({rv_, "DELETED", key, object, nullptr});
  return object;
}

void Store::record(StoredEvent e) {
  events_.push_back(std::move(e));
  while (events_.size() > window_) {
    window_start_ = events_.front().resource_version;
    events_.pop_front();
  }
}

void Store::compact() {
  events_.clear();
  window_start_ = rv_;
  ++compactions_;
}

std::vector<StoredEvent> Store::events_after(uint64_t rv, const std::string& key) const {
  std::vector<StoredEvent> out;
  auto it = std::upper_bound(events_.begin(), events_.end(), rv,
                             [](uint64_t v, const StoredEvent& e) { return v < e.resource_version; });
  for (; it != events_.end(); ++it) {
    if (it->storage_key == key) out.push_back(*it);
  }
  return out;
}

}  // namespace sluice::test_apiserver
