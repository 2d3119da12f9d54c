#pragma once
// A list-and-watch cache of one resource type, the way client-go's informers
// work: list (remembering the collection's resourceVersion), then watch from it,
// keeping a local copy of every object and reporting each changed key. When the
// server answers a watch with 410 Gone (the version is too old), it lists again
// and reports every key, including the ones that vanished meanwhile. Updates that
// change only an object's status are cached but not reported. Broken
// connections are retried with a capped exponential backoff.
//
// Lifecycle: start() runs the loop on its own thread; stop() ends it (the watch
// in progress ends at its server-side timeout, at most `watch_timeout`).

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "operator/kube/kube_client.h"

namespace sluice::controller {

using json = nlohmann::json;

struct InformerOptions {
  std::string ns;  // "" for all namespaces
  std::string field_selector;
  std::string label_selector;
  int watch_timeout_seconds = 60;
};

class Informer {
 public:
  Informer(kube::KubeClient& client, kube::ResourceType type, InformerOptions options);
  ~Informer();

  // Called with "namespace/name" (or "name" for cluster-scoped types) after the
  // cache has the change. Set before start().
  void on_change(std::function<void(const std::string& key)> fn) { on_change_ = std::move(fn); }
  void start();
  void stop();

  bool synced() const { return synced_.load(); }
  std::optional<json> get(const std::string& key) const;
  std::vector<std::string> keys() const;
  std::vector<json> list() const;
  // Visits every cached object without copying it; `fn` runs under the cache's
  // lock, so it must be quick and must not call back into the informer.
  void for_each(const std::function<void(const std::string& key, const json& object)>& fn) const;
  const kube::ResourceType& type() const { return type_; }
  uint64_t relists() const { return relists_.load(); }

  static std::string key_of(const json& object);
  // True when two versions of an object differ only in status (and bookkeeping).
  static bool same_but_status(const json& before, const json& after);

 private:
  void run();
  bool relist(std::string& resource_version);

  kube::KubeClient& client_;
  kube::ResourceType type_;
  InformerOptions options_;
  std::function<void(const std::string&)> on_change_;
  mutable std::mutex mu_;
  std::map<std::string, json> cache_;
  std::atomic<bool> synced_{false};
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> relists_{0};
  std::thread thread_;
};

}  // namespace sluice::controller
