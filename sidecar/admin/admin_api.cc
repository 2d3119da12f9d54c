#include "sidecar/admin/admin_api.h"

#include <nlohmann/json.hpp>

#include "runtime/common/arn.h"
#include "runtime/common/clock.h"
#include "runtime/common/random.h"
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

// What an engine's refusal means to the operator: the request, or the store, failed.
HttpResponse refused(const Error& e) {
  return problem(e.code == errc::storage_failure ? 500 : 422, e.message,
                 {{"code", std::string(to_string(e.code))}, {"field", e.field}});
}

bool query_flag(const std::string& query, const std::string& name) {
  return query.find(name + "=true") != std::string::npos;
}

// Kubernetes namespaces are DNS labels (RFC 1123): lower case, digits, '-', at most 63.
bool valid_namespace(const std::string& s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return s != "." && s != "..";
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string account_for(const AdminConfig& config, const std::string& ns) {
  return config.fixed_account.empty() ? account_for_namespace(ns) : config.fixed_account;
}

resource::Placement placement_for(const AdminConfig& config, const std::string& ns) {
  return {ns, config.region, account_for(config, ns), config.advertise_url};
}

struct AdminApi::Endpoint {
  const char* method;
  const char* pattern;  // segments; {x} captures one, {plural} must name a served kind
  const char* help;
  void (*handler)(AdminApi&, const HttpRequest&, const Captures&, const server::Responder&);
};

AdminApi::AdminApi(std::vector<resource::Binding*> kinds, metrics::Metrics& metrics, AdminConfig config)
    : kinds_(std::move(kinds)),
      metrics_(metrics),
      config_(std::move(config)),
      boot_id_(uuid4()),
      started_ms_(SystemClock().now()) {}

resource::Binding* AdminApi::kind(const std::string& plural) const {
  for (auto* k : kinds_)
    if (k->kind().plural == plural) return k;
  return nullptr;
}

const std::vector<AdminApi::Endpoint>& AdminApi::endpoints() {
  using R = const server::Responder&;
  static const std::vector<Endpoint> kEndpoints = {
      {"GET", "/healthz", "liveness: 200 while the process serves requests",
       [](AdminApi&, const HttpRequest&, const Captures&, R respond) { respond(server::text_response(200, "ok\n")); }},
      {"GET", "/readyz", "readiness: 200 once data is recovered and manifests are loaded, 503 while draining",
       [](AdminApi& a, const HttpRequest&, const Captures&, R respond) {
         respond(a.ready() ? server::text_response(200, "ready\n") : server::text_response(503, "not ready\n"));
       }},
      {"GET", "/metrics", "Prometheus metrics (each service's CloudWatch metrics, request counts and latencies)",
       [](AdminApi& a, const HttpRequest&, const Captures&, R respond) {
         HttpResponse r = server::text_response(200, a.metrics_.scrape());
         r.content_type = "text/plain; version=0.0.4";
         respond(std::move(r));
       }},
      {"GET", "/help", "this list",
       [](AdminApi& a, const HttpRequest&, const Captures&, R respond) { respond(a.help()); }},
      {"GET", "/config_dump", "the effective configuration",
       [](AdminApi& a, const HttpRequest&, const Captures&, R respond) {
         respond(json_response(200, json::parse(a.config_.config_dump.empty() ? "{}" : a.config_.config_dump)));
       }},
      {"GET", "/v1/runtime", "this runtime: boot id (new at every start), start time, AWS API URL, resource counts",
       [](AdminApi& a, const HttpRequest&, const Captures&, R respond) {
         json counts = json::object();
         for (auto* k : a.kinds_) counts[k->kind().plural] = k->size();
         respond(json_response(200, {{"bootId", a.boot_id_},
                                     {"startedAt", a.started_ms_},
                                     {"apiUrl", a.config_.advertise_url},
                                     {"resources", counts}}));
       }},
      {"GET", "/v1/{plural}", "every resource of a kind with its status",
       [](AdminApi& a, const HttpRequest&, const Captures& m, R respond) {
         json list = json::array();
         for (auto& s : a.kind(m.at("plural"))->list(a.config_.advertise_url)) list.push_back(std::move(s));
         respond(json_response(200, {{m.at("plural"), list}}));
       }},
      {"PUT", "/v1/namespaces/{ns}/{plural}/{name}",
       "create or update from a spec (JSON); idempotent; 200 with the status once durable, 422 if refused",
       [](AdminApi& a, const HttpRequest& req, const Captures& m, R respond) { a.put(req, m, respond); }},
      {"GET", "/v1/namespaces/{ns}/{plural}/{name}", "a resource's status; 404 if it does not exist",
       [](AdminApi& a, const HttpRequest&, const Captures& m, R respond) { a.get(m, respond); }},
      {"DELETE", "/v1/namespaces/{ns}/{plural}/{name}",
       "delete a resource and its data; ?retain=true leaves it in place; 404 if it does not exist",
       [](AdminApi& a, const HttpRequest& req, const Captures& m, R respond) { a.remove(req, m, respond); }},
  };
  return kEndpoints;
}

void AdminApi::put(const HttpRequest& req, const Captures& m, const server::Responder& respond) {
  resource::Binding& binding = *kind(m.at("plural"));
  const std::string& name = m.at("name");
  json spec = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
  if (spec.is_discarded()) return respond(problem(400, "body is not valid JSON"));
  auto errors = resource::validate(binding.kind(), spec, name);
  if (binding.kind().engine_name(spec, name) != name)
    errors.push_back({"spec." + binding.kind().name_field, "must equal the name in the path (" + name + ")"});
  if (!errors.empty()) {
    json details = json::array();
    for (const auto& e : errors) details.push_back({{"field", e.field}, {"message", e.message}});
    return respond(problem(422, errors.front().str(), details));
  }
  binding.apply(placement_for(config_, m.at("ns")), name, spec, [respond](resource::StatusResult r) {
    if (!r.ok()) return respond(refused(r.error()));
    respond(json_response(200, *r));
  });
}

void AdminApi::get(const Captures& m, const server::Responder& respond) {
  auto status = kind(m.at("plural"))->status(placement_for(config_, m.at("ns")), m.at("name"));
  if (!status) return respond(problem(404, m.at("plural") + "/" + m.at("name") + " does not exist"));
  respond(json_response(200, *status));
}

void AdminApi::remove(const HttpRequest& req, const Captures& m, const server::Responder& respond) {
  resource::Binding& binding = *kind(m.at("plural"));
  const auto where = placement_for(config_, m.at("ns"));
  if (!binding.status(where, m.at("name")))
    return respond(problem(404, m.at("plural") + "/" + m.at("name") + " does not exist"));
  if (query_flag(req.query, "retain")) return respond(json_response(200, {{"retained", true}}));
  binding.remove(where, m.at("name"), [respond](sluice::Status<Error> s) {
    if (!s.ok()) return respond(refused(s.error()));
    respond(json_response(200, {{"deleted", true}}));
  });
}

bool AdminApi::matches(const Endpoint& e, const std::string& path, Captures& captures) const {
  const auto want = segments(e.pattern), got = segments(path);
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.empty() || w.front() != '{') {
      if (w != got[i]) return false;
      continue;
    }
    const std::string key = w.substr(1, w.size() - 2);
    if (key == "plural" && !kind(got[i])) return false;
    if (got[i].empty()) return false;
    captures[key] = got[i];
  }
  return true;
}

void AdminApi::handle(HttpRequest&& req, server::Responder respond) {
  bool path_known = false;
  for (const auto& e : endpoints()) {
    Captures m;
    if (!matches(e, req.path, m)) continue;
    path_known = true;
    if (req.method != e.method) continue;
    if (m.count("ns") && !valid_namespace(m["ns"]))
      return respond(
          problem(422, "namespace " + m["ns"].substr(0, 80) + " is not a DNS label of at most 63 characters"));
    if (m.count("name") && !valid_name(m["name"]))
      return respond(problem(422, "name " + m["name"].substr(0, 80) + " is not a valid resource name"));
    return e.handler(*this, req, m, respond);
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
  std::string kinds;
  for (auto* k : kinds_) kinds += (kinds.empty() ? "" : ", ") + k->kind().plural;
  out += "\n{plural}: " + kinds + "\n";
  return server::text_response(200, out);
}

}  // namespace sluice::admin
