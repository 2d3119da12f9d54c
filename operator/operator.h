#pragma once
// sluice-operator, assembled: Kubernetes client, runtime discovery, one
// informer and controller per kind (the registries in kinds.cc and sources.cc),
// leader election, and the health/metrics endpoint.
//
// Lifecycle: start() connects and serves /healthz; run() waits for leadership
// (when enabled), runs the controllers until stop() or a signal, then stops
// them, releases the lease and returns.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

struct OperatorOptions {
  std::string kubeconfig;
  std::string watch_namespace;  // "" = all namespaces
  std::vector<std::string> runtime_urls;
  std::string runtime_service = "sluice-runtime";
  std::string runtime_namespace;  // default: the operator's own namespace
  std::string runtime_admin_port = "admin";
  uint16_t metrics_port = 8080;
  std::string metrics_bind = "0.0.0.0";
  bool leader_elect = false;
  std::string leader_election_namespace;
  std::string leader_election_id = "sluice-operator";
  int workers = 4;
  std::chrono::seconds resync{300};
  std::chrono::seconds status_refresh{15};
  std::chrono::seconds unreachable_grace{60};
  int watch_timeout_seconds = 300;
};

class Operator {
 public:
  explicit Operator(OperatorOptions options);
  ~Operator();
  // 0 on success; else the exit code.
  int start();
  void run();
  void stop();
  uint16_t metrics_port() const;

  struct Parts;  // the assembled pieces (operator.cc); public for the kind table

 private:
  OperatorOptions options_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace sluice
