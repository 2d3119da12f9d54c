#pragma once
// The operator's view of the runtime pods (sidecars): where they are, which
// one hosts which resource, and their admin API.
//
// Runtimes come either from fixed admin URLs (--runtime-url, for development
// and tests) or from the Endpoints of the runtime's headless Service. A monitor
// thread polls each runtime's GET /v1/runtime; when a runtime's boot id changes
// (it restarted, possibly with an empty volume) or the set changes, the
// on_change callback fires so that controllers re-apply what it should host.

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "operator/controller/informer.h"
#include "operator/kube/kube_client.h"

namespace sluice::runtime_client {

using json = nlohmann::json;

struct Runtime {
  std::string name;       // pod name, or the URL for fixed runtimes
  std::string admin_url;  // http://10.0.0.7:4567
  bool ready = true;      // not-ready runtimes keep what they host but get nothing new
};

struct AdminResponse {
  int status = 0;  // 0: no answer
  json body;
  std::string error;
  bool ok() const { return status >= 200 && status < 300; }
};

class RuntimeSet {
 public:
  // Fixed runtimes at these admin URLs.
  explicit RuntimeSet(std::vector<std::string> admin_urls);
  // Runtimes behind the headless Service `service` in `ns`; its port named
  // `admin_port_name` is the admin API.
  RuntimeSet(kube::KubeClient& client, std::string ns, std::string service, std::string admin_port_name);
  ~RuntimeSet();

  void on_change(std::function<void()> fn) { on_change_ = std::move(fn); }
  void start();
  void stop();

  std::vector<Runtime> runtimes() const;
  std::optional<Runtime> find(const std::string& name) const;
  // Where a resource lives: where it already is if that runtime still exists,
  // else the ready runtime that rendezvous hashing picks for `key`.
  std::optional<Runtime> place(const std::string& key, const std::string& current) const;

  // The admin API of one runtime.
  AdminResponse call(const Runtime& runtime, const std::string& method, const std::string& path,
                     const json& body = json()) const;
  // The AWS endpoint the runtime advertises (GET /v1/runtime's apiUrl), asked once and remembered.
  std::string api_url(const Runtime& runtime);

 private:
  void monitor();
  void update_from_endpoints();

  std::vector<std::string> fixed_;
  std::unique_ptr<controller::Informer> endpoints_;
  std::string service_, admin_port_name_;
  std::function<void()> on_change_;
  mutable std::mutex mu_;
  std::vector<Runtime> runtimes_;
  std::map<std::string, std::string> boot_ids_;
  std::map<std::string, std::string> api_urls_;
  std::atomic<bool> stop_{false};
  std::thread monitor_;
};

// Rendezvous (highest random weight) hashing: stable, and adding or removing a
// runtime moves only the resources that must move.
uint64_t rendezvous_score(const std::string& key, const std::string& runtime);

}  // namespace sluice::runtime_client
