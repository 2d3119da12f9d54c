#include "operator/runtime/runtime_client.h"

#include <cpprest/http_client.h>

#include <chrono>

namespace sluice::runtime_client {
namespace {

namespace http = web::http;

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // Finalize (splitmix64) so that similar keys spread.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

}  // namespace

uint64_t rendezvous_score(const std::string& key, const std::string& runtime) { return fnv1a(key + "\n" + runtime); }

RuntimeSet::RuntimeSet(std::vector<std::string> admin_urls) : fixed_(std::move(admin_urls)) {
  for (auto& url : fixed_) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    runtimes_.push_back({url, url, true});
  }
}

RuntimeSet::RuntimeSet(kube::KubeClient& client, std::string ns, std::string service, std::string admin_port_name)
    : service_(std::move(service)), admin_port_name_(std::move(admin_port_name)) {
  controller::InformerOptions options;
  options.ns = std::move(ns);
  options.field_selector = "metadata.name=" + service_;
  endpoints_ = std::make_unique<controller::Informer>(
      client, kube::ResourceType{"", "v1", "endpoints", "Endpoints", true}, options);
  endpoints_->on_change([this](const std::string&) { update_from_endpoints(); });
}

RuntimeSet::~RuntimeSet() { stop(); }

void RuntimeSet::start() {
  if (endpoints_) endpoints_->start();
  monitor_ = std::thread([this] { monitor(); });
}

void RuntimeSet::stop() {
  if (stop_.exchange(true)) return;
  if (endpoints_) endpoints_->stop();
  if (monitor_.joinable()) monitor_.join();
}

void RuntimeSet::update_from_endpoints() {
  std::vector<Runtime> found;
  for (const auto& ep : endpoints_->list()) {
    for (const auto& subset : ep.value("subsets", json::array())) {
      int port = 0;
      for (const auto& p : subset.value("ports", json::array()))
        if (p.value("name", "") == admin_port_name_) port = p.value("port", 0);
      if (!port) continue;
      for (const char* list : {"addresses", "notReadyAddresses"}) {
        for (const auto& a : subset.value(list, json::array())) {
          Runtime r;
          r.name = a.contains("targetRef") ? a["targetRef"].value("name", "") : a.value("ip", "");
          r.admin_url = "http://" + a.value("ip", "") + ":" + std::to_string(port);
          r.ready = std::string(list) == "addresses";
          found.push_back(std::move(r));
        }
      }
    }
  }
  bool changed;
  {
    std::lock_guard lock(mu_);
    auto names = [](const std::vector<Runtime>& v) {
      std::map<std::string, std::string> m;
      for (const auto& r : v) m[r.name] = r.admin_url + (r.ready ? "" : " (not ready)");
      return m;
    };
    changed = names(found) != names(runtimes_);
    runtimes_ = std::move(found);
  }
  if (changed && on_change_) on_change_();
}

std::vector<Runtime> RuntimeSet::runtimes() const {
  std::lock_guard lock(mu_);
  return runtimes_;
}

std::optional<Runtime> RuntimeSet::find(const std::string& name) const {
  std::lock_guard lock(mu_);
  for (const auto& r : runtimes_)
    if (r.name == name) return r;
  return std::nullopt;
}

std::optional<Runtime> RuntimeSet::place(const std::string& key, const std::string& current) const {
  std::lock_guard lock(mu_);
  if (!current.empty())
    for (const auto& r : runtimes_)
      if (r.name == current) return r;  // stay where the data is
  const Runtime* best = nullptr;
  uint64_t best_score = 0;
  for (const auto& r : runtimes_) {
    if (!r.ready) continue;
    uint64_t s = rendezvous_score(key, r.name);
    if (!best || s > best_score) best = &r, best_score = s;
  }
  if (!best) return std::nullopt;
  return *best;
}

AdminResponse RuntimeSet::call(const Runtime& runtime, const std::string& method, const std::string& path,
                               const json& body) const {
  AdminResponse out;
  try {
    web::http::client::http_client_config cfg;
    cfg.set_timeout(std::chrono::seconds(10));
    web::http::client::http_client client(runtime.admin_url, cfg);
    http::http_request req(method);
    req.set_request_uri(path);
    if (!body.is_null()) {
      std::string text = body.dump();
      req.set_body(std::vector<unsigned char>(text.begin(), text.end()));
      req.headers().set_content_type("application/json");
    }
    auto resp = client.request(req).get();
    out.status = resp.status_code();
    auto bytes = resp.extract_vector().get();
    out.body = json::parse(std::string(bytes.begin(), bytes.end()), nullptr, false);
    if (out.body.is_discarded()) out.body = json();
    if (!out.ok()) out.error = out.body.is_object() ? out.body.value("error", "") : "";
  } catch (const std::exception& e) {
    out.status = 0;
    out.error = e.what();
  }
  return out;
}

std::string RuntimeSet::api_url(const Runtime& runtime) {
  {
    std::lock_guard lock(mu_);
    if (auto it = api_urls_.find(runtime.name); it != api_urls_.end() && !it->second.empty()) return it->second;
  }
  auto info = call(runtime, "GET", "/v1/runtime");
  const std::string url = info.ok() && info.body.is_object() ? info.body.value("apiUrl", "") : "";
  std::lock_guard lock(mu_);
  if (!url.empty()) api_urls_[runtime.name] = url;
  return url;
}

void RuntimeSet::monitor() {
  while (!stop_.load()) {
    bool restarted = false;
    for (const auto& r : runtimes()) {
      auto info = call(r, "GET", "/v1/runtime");
      if (!info.ok() || !info.body.is_object()) continue;
      std::string boot = info.body.value("bootId", "");
      std::lock_guard lock(mu_);
      api_urls_[r.name] = info.body.value("apiUrl", "");
      auto& known = boot_ids_[r.name];
      if (!known.empty() && known != boot) restarted = true;
      known = boot;
    }
    if (restarted && on_change_) on_change_();
    for (int i = 0; i < 20 && !stop_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace sluice::runtime_client
