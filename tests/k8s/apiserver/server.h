#pragma once
// The HTTP/1.1 front of the test API server on 127.0.0.1: plain HTTP, or HTTPS with a
// self-signed certificate (tls_identity.h); one thread per connection (keep-alive),
// chunked responses for watches. All Beast code lives in server.cc so that nothing else
// pays for its compile time.

#include <cstdint>
#include <memory>

namespace sluice::test_apiserver {

class Api;
struct TlsIdentity;

class HttpServer {
 public:
  // Binds 127.0.0.1:port (0 picks a free port); serves HTTPS when `tls` is given.
  // Throws std::runtime_error on failure.
  HttpServer(Api& api, uint16_t port, const TlsIdentity* tls = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  // Stops accepting, closes every connection and waits for their threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::test_apiserver
