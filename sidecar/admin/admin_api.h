#pragma once
// The admin port: health, readiness, metrics, effective configuration, and the
// resource API the operator drives, for every kind the modules serve. Every
// endpoint is one row of a table with its help text; GET /help lists them.
//
//   PUT    /v1/namespaces/{ns}/{plural}/{name}   create or update from a spec (JSON)
//   GET    /v1/namespaces/{ns}/{plural}/{name}   status
//   DELETE /v1/namespaces/{ns}/{plural}/{name}   delete (?retain=true keeps it)
//   GET    /v1/{plural}                          every resource of a kind with its status
//   GET    /v1/runtime                           boot id, start time, API URL, resource counts
//
// {name} is the engine's name of the resource (for a Queue: spec.queueName, or
// metadata.name). Handlers answer through the Responder, possibly later: a PUT
// answers once the resource is durable.

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "runtime/common/resource_binding.h"
#include "sidecar/server/http.h"

namespace sluice::metrics {
class Metrics;
}

namespace sluice::admin {

struct AdminConfig {
  std::string region = "us-east-1";
  std::string fixed_account = "000000000000";  // empty: one account per namespace
  std::string advertise_url;                   // base of the URLs statuses report
  std::string config_dump;                     // JSON shown by /config_dump
};

// The account of a namespace: the fixed one, or derived from its name.
std::string account_for(const AdminConfig& config, const std::string& ns);
resource::Placement placement_for(const AdminConfig& config, const std::string& ns);

class AdminApi {
 public:
  AdminApi(std::vector<resource::Binding*> kinds, metrics::Metrics& metrics, AdminConfig config);

  void handle(server::HttpRequest&& req, server::Responder respond);
  void set_ready(bool ready) { ready_ = ready; }
  bool ready() const { return ready_; }

 private:
  struct Endpoint;
  using Captures = std::map<std::string, std::string>;
  static const std::vector<Endpoint>& endpoints();
  server::HttpResponse help() const;
  resource::Binding* kind(const std::string& plural) const;
  bool matches(const Endpoint& e, const std::string& path, Captures& captures) const;

  void put(const server::HttpRequest& req, const Captures& m, const server::Responder& respond);
  void get(const Captures& m, const server::Responder& respond);
  void remove(const server::HttpRequest& req, const Captures& m, const server::Responder& respond);

  std::vector<resource::Binding*> kinds_;
  metrics::Metrics& metrics_;
  AdminConfig config_;
  std::atomic<bool> ready_{false};
  const std::string boot_id_;  // new at every start: tells the operator the runtime restarted
  const int64_t started_ms_;
};

}  // namespace sluice::admin
