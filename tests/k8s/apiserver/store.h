#pragma once
// The object store: every object of every type, one global resourceVersion counter,
// and a bounded window of past events for watches. Not thread-safe: the Api owns it
// and serialises access with its own mutex.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

struct StoredEvent {
  uint64_t resource_version = 0;
  std::string type;  // ADDED, MODIFIED, DELETED
  std::string storage_key;
  Json object;
  Json previous;  // the object before a MODIFIED (for selector transitions)
};

class Store {
 public:
  explicit Store(size_t event_window) : window_(event_window) {}

  uint64_t resource_version() const { return rv_; }

  const Json* get(const std::string& key, const std::string& ns, const std::string& name) const;
  // Objects of `key`, in one namespace or (ns == nullptr) all, sorted by namespace/name.
  std::vector<const Json*> list(const std::string& key, const std::string* ns) const;
  // Every object in namespace `ns`, across all types: (storage key, object).
  std::vector<std::pair<std::string, const Json*>> in_namespace(const std::string& ns) const;
  // Every object, for sweeps (owner references).
  void for_each(const std::function<void(const std::string& key, const Json& obj)>& f) const;

  // Writes bump the resourceVersion, stamp it into metadata, and record the event.
  // They return the object as stored.
  Json create(const std::string& key, Json object);
  Json update(const std::string& key, Json object);
  Json remove(const std::string& key, const std::string& ns, const std::string& name);

  // A watch from `rv` can be served iff rv >= window_start().
  uint64_t window_start() const { return window_start_; }
  // Drops the whole event history; watches open now end with 410 Expired.
  void compact();
  uint64_t compactions() const { return compactions_; }
  // Events of `key` with resourceVersion > rv, oldest first.
  std::vector<StoredEvent> events_after(uint64_t rv, const std::string& key) const;

 private:
  static std::string id(const std::string& ns, const std::string& name) { return ns + "/" + name; }
  void record(StoredEvent e);

  std::map<std::string, std::map<std::string, Json>> objects_;
  std::deque<StoredEvent> events_;
  size_t window_;
  uint64_t rv_ = 1;
  uint64_t window_start_ = 1;
  uint64_t compactions_ = 0;
};

}  // namespace sluice::test_apiserver
