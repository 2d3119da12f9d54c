#pragma once
// A small Kubernetes API client on cpprestsdk: JSON requests (get, list,
// create, replace, patch, delete) and streaming watches, authenticated and
// TLS-verified as the KubeConfig says. Calls block the calling thread; the
// controller runs them on its own workers.

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "operator/kube/kube_config.h"
#include "runtime/common/text.h"

namespace sluice::kube {

using json = nlohmann::json;

// A resource type's REST coordinates.
struct ResourceType {
  std::string group;  // "" for the core group
  std::string version;
  std::string plural;
  std::string kind;
  bool namespaced = true;

  std::string api_prefix() const { return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version; }
  // ns "" means all namespaces for namespaced types.
  std::string collection_path(const std::string& ns) const;
  std::string object_path(const std::string& ns, const std::string& name) const;
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
};

struct ApiResponse {
  int status = 0;     // HTTP status; 0 when the request never got an answer
  json body;          // parsed JSON (a Status object on errors)
  std::string error;  // transport error or the Status message
  bool ok() const { return status >= 200 && status < 300; }
  bool not_found() const { return status == 404; }
  bool conflict() const { return status == 409; }
  std::string describe() const;
};

enum class PatchType { merge, json, strategic, apply };

class KubeClient {
 public:
  explicit KubeClient(KubeConfig config);
  ~KubeClient();

  const KubeConfig& config() const { return config_; }

  ApiResponse get(const std::string& path, const std::string& query = "");
  ApiResponse create(const std::string& path, const json& object);
  ApiResponse replace(const std::string& path, const json& object);
  ApiResponse patch(const std::string& path, const json& patch, PatchType type = PatchType::merge);
  ApiResponse remove(const std::string& path);

  // Watches `path` from `resource_version`, calling on_event(type, object) for
  // each event until the server closes the stream (a normal end, returns status
  // 200), the stream fails, or `stop` becomes true. An ERROR event (such as 410
  // Gone) is passed to on_event like any other.
  ApiResponse watch(const std::string& path, const std::string& query,
                    const std::function<void(const std::string& type, const json& object)>& on_event,
                    const std::atomic<bool>& stop);

  // Aborts every watch in progress (their calls return promptly); for shutdown.
  void cancel_watches();

  // Requests made, for metrics.
  uint64_t requests() const { return requests_.load(); }

 private:
  struct Impl;
  ApiResponse send(const std::string& method, const std::string& path_and_query, const std::string& body,
                   const std::string& content_type);
  std::string bearer_token() const;

  KubeConfig config_;
  std::unique_ptr<Impl> impl_;
  std::atomic<uint64_t> requests_{0};
};

using sluice::url_encode;  // runtime/common/text.h

}  // namespace sluice::kube
