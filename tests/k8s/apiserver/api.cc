// Request dispatch: authentication, non-resource endpoints (version, discovery, OpenAPI,
// health), the /testing hooks, routing of resource requests, and request recording.
#include "tests/k8s/apiserver/api.h"

#include "tests/k8s/apiserver/crd.h"
#include "tests/k8s/apiserver/discovery.h"
#include "tests/k8s/apiserver/openapi.h"

namespace sluice::test_apiserver {

namespace {

HttpResponse json_response(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

HttpResponse error_response(const ApiError& e) { return json_response(e.code, status_json(e)); }

ApiError path_not_found() {
  ApiError e = not_found("", "", "", "");
  e.message = "the server could not find the requested resource";
  e.details = nullptr;
  return e;
}

const char* const kSystemNamespaces[] = {"default", "kube-system", "kube-public", "kube-node-lease"};

}  // namespace

Api::Api(ApiOptions options) : options_(std::move(options)), store_(options_.event_window) {
  for (const auto& [user, token] : options_.users) token_users_[token] = user;
  TypePtr ns_type = registry_.find("", "v1", "namespaces");
  for (const char* name : kSystemNamespaces) {
    Json ns = {{"apiVersion", "v1"},
               {"kind", "Namespace"},
               {"metadata", {{"name", name}, {"uid", random_uid()}, {"creationTimestamp", now_string()}}}};
    prepare_builtin(*ns_type, ns, nullptr);
    store_.create(ns_type->storage_key(), ns);
  }
  status_thread_ = std::thread([this] { fake_status_loop(); });
}

Api::~Api() {
  shutdown();
  if (status_thread_.joinable()) status_thread_.join();
}

void Api::shutdown() {
  std::lock_guard lock(mu_);
  shutting_down_ = true;
  changed_.notify_all();
  status_cv_.notify_all();
}

HttpResponse Api::handle(const HttpRequest& req) {
  RequestInfo info = parse_request_info(req.method, req.target);
  std::string user = "system:anonymous";
  HttpResponse resp;
  std::string auth = req.header("authorization");
  if (!auth.empty()) {
    auto it = auth.rfind("Bearer ", 0) == 0 ? token_users_.find(auth.substr(7)) : token_users_.end();
    if (it == token_users_.end()) {
      resp = error_response(unauthorized());
      record(info, req, "", resp.status);
      return resp;
    }
    user = it->second;
  }
  resp = dispatch(req, info, user);
  if (info.parts.empty() || info.parts[0] != "testing") record(info, req, user, resp.status);
  return resp;
}

HttpResponse Api::dispatch(const HttpRequest& req, const RequestInfo& info, const std::string& user) {
  try {
    std::unique_lock lock(mu_);
    Reply r = [&]() -> Reply {
      if (!info.resource_request) return non_resource(req, info);
      Ctx ctx;
      ctx.info = info;
      ctx.user = user;
      return resource(req, ctx);
    }();
    return r.ok() ? std::move(*r) : error_response(r.error());
  } catch (const std::exception& e) {
    // A bug in the test server, not the client's fault: say so loudly.
    return error_response(internal_error(std::string("Sluice test API server failure: ") + e.what()));
  }
}

Api::Reply Api::non_resource(const HttpRequest& req, const RequestInfo& info) {
  const auto& p = info.parts;
  if (!p.empty() && p[0] == "testing") return testing_hook(req, info);
  if (req.method != "GET" && req.method != "HEAD") return Failure(method_not_allowed());
  std::string accept = req.header("accept");
  if (info.path == "/version") {
    return json_response(200, {{"major", "1"},
                               {"minor", "32"},
                               {"gitVersion", "v1.32.0-sluice-test"},
                               {"gitCommit", "0000000000000000000000000000000000000000"},
                               {"gitTreeState", "clean"},
                               {"buildDate", "2025-01-01T00:00:00Z"},
                               {"goVersion", "n/a (Sluice test API server, C++)"},
                               {"compiler", "gc"},
                               {"platform", "linux/amd64"}});
  }
  if (info.path == "/healthz" || info.path == "/livez" || info.path == "/readyz") {
    HttpResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok";
    return r;
  }
  if (!p.empty() && (p[0] == "api" || p[0] == "apis")) {
    bool core = p[0] == "api";
    if (p.size() == 1) {
      if (wants_aggregated_discovery(accept)) {
        HttpResponse r = json_response(200, aggregated_discovery(registry_, core));
        r.content_type = kAggregatedDiscoveryContentType;
        return r;
      }
      return json_response(200, core ? legacy_api_versions() : legacy_group_list(registry_));
    }
    if (!core && p.size() == 2) {
      if (auto g = legacy_group(registry_, p[1])) return json_response(200, *g);
    } else {
      std::string group = core ? "" : p[1];
      std::string version = core ? p[1] : p.size() > 2 ? p[2] : "";
      if (auto l = legacy_resource_list(registry_, group, version)) return json_response(200, *l);
    }
    return Failure(path_not_found());
  }
  if (p.size() >= 2 && p[0] == "openapi") {
    if (p[1] == "v2") {
      ApiError e = path_not_found();
      e.message = "the Sluice test API server serves OpenAPI v3 only (/openapi/v3)";
      return Failure(e);
    }
    if (p[1] == "v3") {
      if (p.size() == 2) return json_response(200, openapi_root(registry_));
      std::string gv;
      for (size_t i = 2; i < p.size(); ++i) gv += (i > 2 ? "/" : "") + p[i];
      if (auto doc = openapi_document(registry_, gv)) return json_response(200, *doc);
    }
  }
  return Failure(path_not_found());
}

Api::Reply Api::testing_hook(const HttpRequest& req, const RequestInfo& info) {
  if (info.path == "/testing/compact" && req.method == "POST") {
    store_.compact();
    changed_.notify_all();
    return json_response(
        200, {{"resourceVersion", std::to_string(store_.resource_version())}, {"compactions", store_.compactions()}});
  }
  if (info.path == "/testing/requests" && req.method == "GET") {
    Json items = Json::array();
    auto user = info.query.find("user");
    for (const auto& r : recorded_) {
      if (user == info.query.end() || r["user"] == user->second) items.push_back(r);
    }
    return json_response(200, {{"kind", "RecordedRequestList"}, {"items", items}});
  }
  if (info.path == "/testing/requests" && req.method == "DELETE") {
    recorded_.clear();
    return json_response(200, {{"kind", "RecordedRequestList"}, {"items", Json::array()}});
  }
  ApiError e = path_not_found();
  e.message = "unknown testing hook " + req.method + " " + info.path +
              " (served: POST /testing/compact, GET|DELETE /testing/requests)";
  return Failure(e);
}

Api::Reply Api::resource(const HttpRequest& req, Ctx& ctx) {
  const RequestInfo& info = ctx.info;
  ctx.type = registry_.find(info.group, info.version, info.resource);
  if (!ctx.type || info.too_many_parts) return Failure(path_not_found());
  const ResourceType& t = *ctx.type;
  bool collection_read = info.name.empty() && (req.method == "GET" || req.method == "HEAD");
  if (t.namespaced) {
    if (info.ns.empty() && !collection_read) return Failure(path_not_found());
    ctx.ns = info.ns;
  } else if (!info.ns.empty() && t.plural != "namespaces") {
    return Failure(path_not_found());
  }
  const std::string& sub = info.subresource;
  if (!sub.empty() && !(sub == "status" && t.status_subresource) && !(sub == "scale" && t.scale) &&
      !(sub == "finalize" && t.finalize_subresource)) {
    return Failure(path_not_found());
  }

  auto q = [&](const char* k) {
    auto it = info.query.find(k);
    return it == info.query.end() ? std::string() : it->second;
  };
  ctx.field_manager = q("fieldManager");
  ctx.field_validation = q("fieldValidation");
  if (ctx.field_validation.empty()) ctx.field_validation = "Warn";  // the API server's default
  if (ctx.field_validation != "Strict" && ctx.field_validation != "Warn" && ctx.field_validation != "Ignore") {
    return Failure(
        bad_request("fieldValidation must be one of Ignore, Warn or Strict, got \"" + ctx.field_validation + "\""));
  }
  std::string dry = q("dryRun");
  if (!dry.empty() && dry != "All") return Failure(bad_request("Invalid dry run value: " + dry + " (supported: All)"));
  ctx.dry_run = dry == "All";

  bool watching = info.deprecated_watch_path;
  if (auto it = info.query.find("watch"); it != info.query.end() && !it->second.empty()) {
    bool w;
    if (!parse_go_bool(it->second, w)) return Failure(bad_request("invalid value for watch: \"" + it->second + "\""));
    watching = watching || w;
  }

  const std::string& m = req.method;
  if (m == "GET" || m == "HEAD") {
    if (watching) return watch(req, ctx);
    if (info.name.empty()) return list(req, ctx);
    if (sub == "finalize") return Failure(method_not_allowed());
    return get(req, ctx);
  }
  if (m == "POST") {
    if (!info.name.empty()) return Failure(method_not_allowed());
    return create(req, ctx);
  }
  if (info.name.empty() && m == "DELETE") return remove_collection(req, ctx);
  if (info.name.empty()) return Failure(method_not_allowed());
  if (m == "PUT") return update(req, ctx);
  if (m == "PATCH") {
    if (sub == "finalize") return Failure(method_not_allowed());
    return patch(req, ctx);
  }
  if (m == "DELETE") {
    if (!sub.empty()) return Failure(method_not_allowed());
    return remove(req, ctx);
  }
  return Failure(method_not_allowed("method " + m + " is not supported by the Sluice test API server"));
}

void Api::record(const RequestInfo& info, const HttpRequest& req, const std::string& user, int code) {
  Json r = {{"method", req.method},
            {"path", info.path},
            {"query", info.raw_query},
            {"verb", info.verb},
            {"resourceRequest", info.resource_request},
            {"apiGroup", info.group},
            {"apiVersion", info.version},
            {"resource", info.resource},
            {"subresource", info.subresource},
            {"namespace", info.ns},
            {"name", info.name},
            {"user", user},
            {"code", code},
            {"contentType", req.header("content-type")},
            {"time", now_string()}};
  std::lock_guard lock(mu_);
  recorded_.push_back(std::move(r));
}

}  // namespace sluice::test_apiserver
