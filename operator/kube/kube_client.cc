#include "operator/kube/kube_client.h"

#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>
#include <boost/asio/ssl.hpp>

#include <fstream>
#include <mutex>
#include <sstream>

namespace sluice::kube {
namespace {

namespace http = web::http;
namespace client = web::http::client;

client::http_client_config make_config(const KubeConfig& c, std::chrono::seconds timeout) {
  client::http_client_config cfg;
  cfg.set_timeout(timeout);
  cfg.set_validate_certificates(!c.insecure_skip_verify);
  const std::string ca = c.ca_pem, cert = c.client_cert_pem, key = c.client_key_pem;
  cfg.set_ssl_context_callback([ca, cert, key](boost::asio::ssl::context& ctx) {
    if (!ca.empty()) ctx.add_certificate_authority(boost::asio::buffer(ca));
    if (!cert.empty()) ctx.use_certificate_chain(boost::asio::buffer(cert));
    if (!key.empty()) ctx.use_private_key(boost::asio::buffer(key), boost::asio::ssl::context::pem);
  });
  return cfg;
}

ApiResponse from_exception(const std::exception& e) {
  ApiResponse r;
  r.status = 0;
  r.error = e.what();
  return r;
}

const char* content_type_of(PatchType t) {
  switch (t) {
    case PatchType::merge:
      return "application/merge-patch+json";
    case PatchType::json:
      return "application/json-patch+json";
    case PatchType::strategic:
      return "application/strategic-merge-patch+json";
    case PatchType::apply:
      return "application/apply-patch+yaml";
  }
  return "application/json";
}

}  // namespace

std::string ResourceType::collection_path(const std::string& ns) const {
  if (!namespaced || ns.empty()) return api_prefix() + "/" + plural;
  return api_prefix() + "/namespaces/" + ns + "/" + plural;
}

std::string ResourceType::object_path(const std::string& ns, const std::string& name) const {
  return collection_path(namespaced ? ns : "") + "/" + name;
}

std::string ApiResponse::describe() const {
  if (status == 0) return "no answer: " + error;
  std::string reason = body.is_object() ? body.value("reason", "") : "";
  std::string message = body.is_object() ? body.value("message", error) : error;
  return "HTTP " + std::to_string(status) + (reason.empty() ? "" : " " + reason) + ": " + message;
}

struct KubeClient::Impl {
  client::http_client requests;
  client::http_client watches;
  std::mutex cancel_mu;
  pplx::cancellation_token_source cancel;
  Impl(const KubeConfig& c)
      : requests(c.server, make_config(c, std::chrono::seconds(30))),
        watches(c.server, make_config(c, std::chrono::seconds(600))) {}
};

KubeClient::KubeClient(KubeConfig config) : config_(std::move(config)), impl_(std::make_unique<Impl>(config_)) {}
KubeClient::~KubeClient() = default;

std::string KubeClient::bearer_token() const {
  if (!config_.token_file.empty()) {
    std::ifstream in(config_.token_file);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string t = ss.str();
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    if (!t.empty()) return t;
  }
  return config_.token;
}

ApiResponse KubeClient::send(const std::string& method, const std::string& path_and_query, const std::string& body,
                             const std::string& content_type) {
  ++requests_;
  try {
    http::http_request req(method);
    req.set_request_uri(path_and_query);
    req.headers().add("Accept", "application/json");
    req.headers().add("User-Agent", "sluice-operator/0.1.0");
    if (auto token = bearer_token(); !token.empty()) req.headers().add("Authorization", "Bearer " + token);
    if (!body.empty()) {
      req.set_body(std::vector<unsigned char>(body.begin(), body.end()));
      req.headers().set_content_type(content_type);
    }
    auto resp = impl_->requests.request(req).get();
    ApiResponse r;
    r.status = resp.status_code();
    auto bytes = resp.extract_vector().get();
    std::string text(bytes.begin(), bytes.end());
    r.body = json::parse(text, nullptr, false);
    if (r.body.is_discarded()) {
      r.body = json();
      if (!r.ok()) r.error = text.substr(0, 500);
    } else if (!r.ok() && r.body.is_object()) {
      r.error = r.body.value("message", "");
    }
    return r;
  } catch (const std::exception& e) {
    return from_exception(e);
  }
}

void KubeClient::cancel_watches() {
  std::lock_guard lock(impl_->cancel_mu);
  impl_->cancel.cancel();
  impl_->cancel = pplx::cancellation_token_source();
}

ApiResponse KubeClient::get(const std::string& path, const std::string& query) {
  return send("GET", query.empty() ? path : path + "?" + query, "", "");
}
ApiResponse KubeClient::create(const std::string& path, const json& object) {
  return send("POST", path, object.dump(), "application/json");
}
ApiResponse KubeClient::replace(const std::string& path, const json& object) {
  return send("PUT", path, object.dump(), "application/json");
}
ApiResponse KubeClient::patch(const std::string& path, const json& patch, PatchType type) {
  std::string target = type == PatchType::apply ? path + "?fieldManager=sluice-operator&force=true" : path;
  return send("PATCH", target, patch.dump(), content_type_of(type));
}
ApiResponse KubeClient::remove(const std::string& path) { return send("DELETE", path, "", ""); }

ApiResponse KubeClient::watch(const std::string& path, const std::string& query,
                              const std::function<void(const std::string&, const json&)>& on_event,
                              const std::atomic<bool>& stop) {
  ++requests_;
  ApiResponse r;
  try {
    http::http_request req(http::methods::GET);
    req.set_request_uri(path + "?watch=true" + (query.empty() ? "" : "&" + query));
    req.headers().add("Accept", "application/json");
    req.headers().add("User-Agent", "sluice-operator/0.1.0");
    if (auto token = bearer_token(); !token.empty()) req.headers().add("Authorization", "Bearer " + token);
    pplx::cancellation_token token = pplx::cancellation_token::none();
    {
      std::lock_guard lock(impl_->cancel_mu);
      token = impl_->cancel.get_token();
    }
    auto resp = impl_->watches.request(req, token).get();
    r.status = resp.status_code();
    if (r.status != 200) {
      auto bytes = resp.extract_vector().get();
      r.body = json::parse(std::string(bytes.begin(), bytes.end()), nullptr, false);
      if (r.body.is_discarded()) r.body = json();
      r.error = r.body.is_object() ? r.body.value("message", "") : "";
      return r;
    }
    auto stream = resp.body();
    while (!stop.load()) {
      concurrency::streams::container_buffer<std::string> line;
      size_t n = stream.read_line(line).get();
      const std::string& text = line.collection();
      if (n == 0 && text.empty()) {
        if (stream.is_eof()) break;
        continue;
      }
      json event = json::parse(text, nullptr, false);
      if (event.is_discarded() || !event.is_object()) continue;
      on_event(event.value("type", ""), event.contains("object") ? event["object"] : json::object());
    }
    return r;
  } catch (const std::exception& e) {
    return from_exception(e);
  }
}

}  // namespace sluice::kube
