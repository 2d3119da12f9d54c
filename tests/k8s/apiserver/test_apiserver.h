#pragma once
// sluice::test_apiserver: an in-process Kubernetes API test server for tests.
//
//   TestApiServer server;                       // listens on 127.0.0.1:<free port>
//   server.write_kubeconfig(dir + "/kubeconfig");
//   ... run kubectl / the operator against server.url() ...
//
// Lifecycle: listening from construction until stop() or destruction. Thread-safe.
// What it implements and what it refuses is in docs/test-apiserver.md.

#include <cstdint>
#include <memory>
#include <string>

#include "tests/k8s/apiserver/api.h"

namespace sluice::test_apiserver {

class HttpServer;
struct TlsIdentity;

struct ServerOptions {
  uint16_t port = 0;  // 0 picks a free port
  // HTTPS with a fresh self-signed certificate (trusted by the kubeconfig). Needed for
  // per-user recording with kubectl/helm: client-go sends tokens over TLS only.
  bool tls = false;
  ApiOptions api;
};

class TestApiServer {
 public:
  explicit TestApiServer(ServerOptions options = {});
  ~TestApiServer();
  TestApiServer(const TestApiServer&) = delete;
  TestApiServer& operator=(const TestApiServer&) = delete;

  uint16_t port() const;
  std::string url() const;  // http(s)://127.0.0.1:<port>
  // The server certificate (PEM) in TLS mode, else "".
  std::string certificate_pem() const;
  // A kubeconfig with one context per user (named after it); the first user's is current.
  std::string kubeconfig() const;
  void write_kubeconfig(const std::string& path) const;
  Api& api() { return *api_; }
  void stop();

 private:
  ServerOptions options_;
  std::unique_ptr<TlsIdentity> tls_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace sluice::test_apiserver
