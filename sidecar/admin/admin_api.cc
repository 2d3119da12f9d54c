#include "sidecar/admin/admin_api.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <regex>

#include "runtime/common/clock.h"
#include "runtime/common/random.h"
#include "runtime/queue/queue_service.h"
#include "runtime/queue/spec.h"
#include "sidecar/manifests/manifest_loader.h"
#include "sidecar/metrics/metrics.h"

namespace sluice::admin {
namespace {

using json = nlohmann::json;
using server::HttpRequest;
using server::HttpResponse;

HttpResponse json_response(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  return r;
}

HttpResponse problem(int status, const std::string& message, json details = json()) {
  json body = {{"error", message}};
  if (!details.is_null()) body["details"] = std::move(details);
  return json_response(status, body);
}

json queue_status(const queue::Queue& q, const std::string& base_url) {
  auto c = const_cast<queue::Queue&>(q).counts();
  const auto& id = q.identity();
  return {{"queueName", q.name()},
          {"accountId", id.account},
          {"url", base_url + "/" + id.account + "/" + q.name()},
          {"endpoint", base_url},
          {"arn", q.arn()},
          {"fifo", q.fifo()},
          {"approximateNumberOfMessages", c.visible},
          {"approximateNumberOfMessagesNotVisible", c.inflight},
          {"approximateNumberOfMessagesDelayed", c.delayed},
          {"oldestMessageSentTimestamp", c.oldest_sent_ms},
          {"createdTimestamp", q.created_ms()}};
}

bool query_flag(const std::string& query, const std::string& name) {
  return query.find(name + "=true") != std::string::npos;
}

}  // namespace

struct AdminApi::Endpoint {
  const char* method;
  const char* pattern;  // a regex over the path
  const char* help;
  HttpResponse (*handler)(AdminApi&, const HttpRequest&, const std::smatch&);
};

namespace {

const std::regex kQueuePath("^/v1/namespaces/([a-z0-9][a-z0-9.-]*)/queues/([A-Za-z0-9_.-]+)$");

}  // namespace

AdminApi::AdminApi(queue::QueueService& queues, metrics::Metrics& metrics, AdminConfig config)
    : queues_(queues),
      metrics_(metrics),
      config_(std::move(config)),
      boot_id_(uuid4()),
      started_ms_(SystemClock().now()) {}

const std::vector<AdminApi::Endpoint>& AdminApi::endpoints() {
  static const std::vector<Endpoint> kEndpoints = {
      {"GET", "/healthz", "liveness: 200 while the process serves requests",
       [](AdminApi&, const HttpRequest&, const std::smatch&) { return server::text_response(200, "ok\n"); }},
      {"GET", "/readyz", "readiness: 200 once data is recovered and manifests are loaded, 503 while draining",
       [](AdminApi& a, const HttpRequest&, const std::smatch&) {
         return a.ready() ? server::text_response(200, "ready\n") : server::text_response(503, "not ready\n");
       }},
      {"GET", "/metrics", "Prometheus metrics (CloudWatch SQS metrics per queue, request counts and latencies)",
       [](AdminApi& a, const HttpRequest&, const std::smatch&) {
         HttpResponse r = server::text_response(200, a.metrics_.scrape());
         r.content_type = "text/plain; version=0.0.4";
         return r;
       }},
      {"GET", "/help", "this list", [](AdminApi& a, const HttpRequest&, const std::smatch&) { return a.help(); }},
      {"GET", "/config_dump", "the effective configuration",
       [](AdminApi& a, const HttpRequest&, const std::smatch&) {
         return json_response(200, json::parse(a.config_.config_dump.empty() ? "{}" : a.config_.config_dump));
       }},
      {"GET", "/v1/runtime", "this runtime: boot id (new at every start), start time, AWS API URL, queue count",
       [](AdminApi& a, const HttpRequest&, const std::smatch&) {
         return json_response(200, {{"bootId", a.boot_id_},
                                    {"startedAt", a.started_ms_},
                                    {"apiUrl", a.config_.advertise_url},
                                    {"queues", a.queues_.all().size()}});
       }},
      {"GET", "/v1/queues", "every queue with its URL, ARN and counts",
       [](AdminApi& a, const HttpRequest&, const std::smatch&) {
         json list = json::array();
         for (const auto& q : a.queues_.all()) list.push_back(queue_status(*q, a.config_.advertise_url));
         return json_response(200, {{"queues", list}});
       }},
      {"PUT", "/v1/namespaces/{ns}/queues/{queue}",
       "create or update a queue from a Queue spec (JSON); idempotent; 200 with its status, 422 on an invalid spec",
       [](AdminApi& a, const HttpRequest& req, const std::smatch& m) {
         const std::string ns = m[1], name = m[2];
         YAML::Node spec;
         try {
           spec = YAML::Load(req.body.empty() ? "{}" : req.body);  // JSON is YAML; one parser for both sources
         } catch (const YAML::Exception& e) {
           return problem(400, std::string("body is not valid JSON: ") + e.what());
         }
         std::vector<queue::SpecError> errors;
         auto parsed = queue::parse_queue_spec(spec, name, errors);
         if (parsed.queue_name != name)
           errors.push_back({"spec.queueName", "must equal the queue name in the path (" + name + ")"});
         if (!errors.empty()) {
           json details = json::array();
           for (const auto& e : errors) details.push_back({{"field", e.field}, {"message", e.message}});
           return problem(422, errors.front().str(), details);
         }
         manifests::LoadOptions lo{a.config_.region, a.config_.fixed_account};
         const std::string account = manifests::account_for(lo, ns);
         auto attrs = queue::resolve_queue_spec(parsed, account, a.config_.region);
         auto q = a.queues_.apply_queue(account, name, attrs, parsed.tags);
         if (!q.ok()) {
           int status = q.error().code == queue::errc::internal_error ? 500 : 422;
           return problem(status, q.error().message, {{"code", int(q.error().code)}});
         }
         return json_response(200, queue_status(**q, a.config_.advertise_url));
       }},
      {"GET", "/v1/namespaces/{ns}/queues/{queue}", "a queue's status: URL, ARN and message counts",
       [](AdminApi& a, const HttpRequest&, const std::smatch& m) {
         manifests::LoadOptions lo{a.config_.region, a.config_.fixed_account};
         auto q = a.queues_.find(manifests::account_for(lo, m[1]), m[2]);
         if (!q) return problem(404, "queue " + std::string(m[2]) + " does not exist");
         return json_response(200, queue_status(*q, a.config_.advertise_url));
       }},
      {"DELETE", "/v1/namespaces/{ns}/queues/{queue}",
       "delete a queue and its messages; ?retain=true leaves it in place; 404 if it does not exist",
       [](AdminApi& a, const HttpRequest& req, const std::smatch& m) {
         manifests::LoadOptions lo{a.config_.region, a.config_.fixed_account};
         const std::string account = manifests::account_for(lo, m[1]);
         if (!a.queues_.find(account, m[2])) return problem(404, "queue " + std::string(m[2]) + " does not exist");
         if (query_flag(req.query, "retain")) return json_response(200, {{"retained", true}});
         auto s = a.queues_.delete_queue(account, m[2], /*api=*/false);
         if (!s.ok()) return problem(500, s.error().message);
         return json_response(200, {{"deleted", true}});
       }},
  };
  return kEndpoints;
}

void AdminApi::handle(HttpRequest&& req, server::Responder respond) {
  bool path_known = false;
  for (const auto& e : endpoints()) {
    std::smatch m;
    const std::string pattern = e.pattern;
    bool match = pattern.find('{') == std::string::npos ? req.path == pattern
                                                        : std::regex_match(req.path, m, kQueuePath);
    if (!match) continue;
    path_known = true;
    if (req.method != e.method) continue;
    respond(e.handler(*this, req, m));
    return;
  }
  respond(path_known ? problem(405, "method " + req.method + " not allowed on " + req.path)
                     : problem(404, "no endpoint " + req.path + "; GET /help lists them"));
}

HttpResponse AdminApi::help() const {
  std::string out;
  for (const auto& e : endpoints()) {
    std::string line = std::string(e.method) + std::string(8 - std::string(e.method).size(), ' ') + e.pattern;
    line.resize(std::max<size_t>(line.size() + 2, 46), ' ');
    out += line + e.help + "\n";
  }
  return server::text_response(200, out);
}

}  // namespace sluice::admin
