#include "operator/controller/informer.h"

#include <chrono>
#include <iostream>
#include <set>

namespace sluice::controller {
namespace {

std::string selectors(const InformerOptions& o) {
  std::string q;
  if (!o.field_selector.empty()) q += "fieldSelector=" + kube::url_encode(o.field_selector);
  if (!o.label_selector.empty()) q += (q.empty() ? "" : "&") + ("labelSelector=" + kube::url_encode(o.label_selector));
  return q;
}

void sleep_interruptible(const std::atomic<bool>& stop, std::chrono::milliseconds d) {
  auto until = std::chrono::steady_clock::now() + d;
  while (!stop.load() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace

Informer::Informer(kube::KubeClient& client, kube::ResourceType type, InformerOptions options)
    : client_(client), type_(std::move(type)), options_(std::move(options)) {}

Informer::~Informer() { stop(); }

bool Informer::same_but_status(const json& before, const json& after) {
  auto strip = [](json o) {
    o.erase("status");
    if (o.contains("metadata")) {
      o["metadata"].erase("resourceVersion");
      o["metadata"].erase("managedFields");
    }
    return o;
  };
  return strip(before) == strip(after);
}

std::string Informer::key_of(const json& object) {
  const json& meta = object.contains("metadata") ? object["metadata"] : json::object();
  std::string ns = meta.value("namespace", "");
  std::string name = meta.value("name", "");
  return ns.empty() ? name : ns + "/" + name;
}

void Informer::start() {
  thread_ = std::thread([this] { run(); });
}

void Informer::stop() {
  stop_ = true;
  client_.cancel_watches();
  if (thread_.joinable()) thread_.join();
}

std::optional<json> Informer::get(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Informer::keys() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [k, v] : cache_) out.push_back(k);
  return out;
}

std::vector<json> Informer::list() const {
  std::lock_guard lock(mu_);
  std::vector<json> out;
  for (const auto& [k, v] : cache_) out.push_back(v);
  return out;
}

void Informer::for_each(const std::function<void(const std::string& key, const json& object)>& fn) const {
  std::lock_guard lock(mu_);
  for (const auto& [k, v] : cache_) fn(k, v);
}

bool Informer::relist(std::string& resource_version) {
  auto r = client_.get(type_.collection_path(options_.ns), selectors(options_));
  if (!r.ok() || !r.body.contains("items")) {
    std::cerr << "sluice-operator: list " << type_.plural << ": " << r.describe() << "\n";
    return false;
  }
  ++relists_;
  resource_version = r.body["metadata"].value("resourceVersion", "");
  std::set<std::string> changed;
  {
    std::lock_guard lock(mu_);
    std::map<std::string, json> fresh;
    for (auto& item : r.body["items"]) {
      // Lists omit kind/apiVersion on items; keep them complete for consumers.
      item["kind"] = type_.kind;
      item["apiVersion"] = type_.api_version();
      fresh[key_of(item)] = item;
    }
    for (const auto& [k, v] : cache_)
      if (!fresh.count(k)) changed.insert(k);  // deleted while we were not watching
    for (const auto& [k, v] : fresh) changed.insert(k);
    cache_ = std::move(fresh);
  }
  synced_ = true;
  if (on_change_)
    for (const auto& k : changed) on_change_(k);
  return true;
}

void Informer::run() {
  int failures = 0;
  std::string rv;
  bool need_list = true;
  while (!stop_.load()) {
    if (need_list) {
      if (!relist(rv)) {
        sleep_interruptible(stop_, std::chrono::milliseconds(std::min(30000, 200 << std::min(failures++, 8))));
        continue;
      }
      need_list = false;
      failures = 0;
    }
    std::string query = "resourceVersion=" + rv +
                        "&allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(options_.watch_timeout_seconds);
    if (auto s = selectors(options_); !s.empty()) query += "&" + s;
    bool gone = false;
    auto r = client_.watch(
        type_.collection_path(options_.ns), query,
        [&](const std::string& type, const json& object) {
          if (type == "ERROR") {
            // 410 Gone: our version fell out of the server's window; anything else: start over too.
            gone = true;
            return;
          }
          if (object.contains("metadata")) rv = object["metadata"].value("resourceVersion", rv);
          if (type == "BOOKMARK") return;
          const std::string key = key_of(object);
          bool matters = true;
          {
            std::lock_guard lock(mu_);
            if (type == "DELETED") {
              cache_.erase(key);
            } else {
              auto it = cache_.find(key);
              matters = it == cache_.end() || !same_but_status(it->second, object);
              cache_[key] = object;
            }
          }
          // A controller's own status write comes back as an event; reacting to it
          // would only loop. Spec, metadata and deletions still count.
          if (on_change_ && matters) on_change_(key);
        },
        stop_);
    if (gone || r.status == 410) {
      need_list = true;
      continue;
    }
    if (!r.ok()) {
      std::cerr << "sluice-operator: watch " << type_.plural << ": " << r.describe() << "\n";
      need_list = true;
      sleep_interruptible(stop_, std::chrono::milliseconds(std::min(30000, 200 << std::min(failures++, 8))));
      continue;
    }
    failures = 0;  // a normal end of a watch: watch again from the last version
  }
}

}  // namespace sluice::controller
