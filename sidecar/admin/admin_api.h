#pragma once
// The admin port: health, readiness, metrics, effective configuration, and the
// resource API the operator drives. Every endpoint is one row of a table with
// its help text; GET /help lists them.
//
//   PUT    /v1/namespaces/{ns}/queues/{queue}   create or update from a Queue spec (JSON)
//   GET    /v1/namespaces/{ns}/queues/{queue}   status: URL, ARN, counts
//   DELETE /v1/namespaces/{ns}/queues/{queue}   delete (?retain=true keeps it)
//   GET    /v1/queues                           every queue with its status
//   GET    /v1/runtime                          boot id, start time, API URL

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "sidecar/server/http.h"

namespace sluice::queue {
class QueueService;
}
namespace sluice::metrics {
class Metrics;
}

namespace sluice::admin {

struct AdminConfig {
  std::string region = "us-east-1";
  std::string fixed_account = "000000000000";  // empty: one account per namespace
  std::string advertise_url;                   // base of the queue URLs the API reports
  std::string config_dump;                     // JSON shown by /config_dump
};

class AdminApi {
 public:
  AdminApi(queue::QueueService& queues, metrics::Metrics& metrics, AdminConfig config);

  void handle(server::HttpRequest&& req, server::Responder respond);
  void set_ready(bool ready) { ready_ = ready; }
  bool ready() const { return ready_; }

 private:
  struct Endpoint;
  static const std::vector<Endpoint>& endpoints();
  server::HttpResponse help() const;

  queue::QueueService& queues_;
  metrics::Metrics& metrics_;
  AdminConfig config_;
  std::atomic<bool> ready_{false};
  const std::string boot_id_;  // new at every start: tells the operator the runtime restarted
  const int64_t started_ms_;
};

}  // namespace sluice::admin
