#include "tests/k8s/apiserver/test_apiserver.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/k8s/apiserver/server.h"
#include "tests/k8s/apiserver/tls_identity.h"

namespace sluice::test_apiserver {

TestApiServer::TestApiServer(ServerOptions options)
    : options_(std::move(options)),
      tls_(options_.tls ? std::make_unique<TlsIdentity>(make_self_signed_identity()) : nullptr),
      api_(std::make_unique<Api>(options_.api)),
      http_(std::make_unique<HttpServer>(*api_, options_.port, tls_.get())) {}

TestApiServer::~TestApiServer() { stop(); }

uint16_t TestApiServer::port() const { return http_->port(); }

std::string TestApiServer::url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

std::string TestApiServer::certificate_pem() const { return tls_ ? tls_->certificate_pem : std::string(); }

std::string TestApiServer::kubeconfig() const {
  // JSON is valid YAML, and nlohmann quotes every string safely.
  Json cluster = {{"server", url()}};
  if (tls_) cluster["certificate-authority-data"] = base64_encode(tls_->certificate_pem);
  Json users = Json::array(), contexts = Json::array();
  for (const auto& [user, token] : options_.api.users) {
    users.push_back({{"name", user}, {"user", {{"token", token}}}});
    contexts.push_back(
        {{"name", user}, {"context", {{"cluster", "sluice-test"}, {"user", user}, {"namespace", "default"}}}});
  }
  Json config = {{"apiVersion", "v1"},
                 {"kind", "Config"},
                 {"clusters", {{{"name", "sluice-test"}, {"cluster", cluster}}}},
                 {"users", users},
                 {"contexts", contexts},
                 {"current-context", options_.api.users.empty() ? "" : options_.api.users.front().first},
                 {"preferences", Json::object()}};
  return config.dump(2) + "\n";
}

void TestApiServer::write_kubeconfig(const std::string& path) const {
  std::ofstream out(path, std::ios::trunc);
  out << kubeconfig();
  out.close();
  if (!out) throw std::runtime_error("cannot write kubeconfig " + path);
  // Owner-only, as helm warns about group- or world-readable kubeconfigs.
  namespace fs = std::filesystem;
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
}

void TestApiServer::stop() {
  if (api_) api_->shutdown();
  if (http_) http_->stop();
}

}  // namespace sluice::test_apiserver
