#pragma once
// An HTTP/1.1 server on Boost.Beast: keep-alive connections, one request at a
// time per connection (the AWS SDKs do not pipeline), requests handed to an
// HttpHandler that answers through a Responder, possibly later and from another
// thread (long polls, group commits).
//
// Connections are spread over the IoLoops, one loop each (see io_loops.h).
//
// Lifecycle: construct, listen() (binds now, so the port is known and start-up
// fails early), then the loops' threads serve; stop_accepting() closes the
// listener, and connections finish their current request before closing.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <memory>
#include <string>

#include "sidecar/server/http.h"
#include "sidecar/server/io_loops.h"

namespace sluice::server {

struct HttpServerOptions {
  std::string bind = "0.0.0.0";
  uint16_t port = 0;                   // 0: any free port
  size_t body_limit = size_t(32) << 20;  // larger bodies get 413
  std::string name = "http";           // for logs
};

class HttpServer {
 public:
  HttpServer(IoLoops& loops, HttpServerOptions options, HttpHandler handler);
  ~HttpServer();

  // Binds and starts accepting; returns false and sets *error on failure.
  bool listen(std::string* error);
  uint16_t port() const { return port_; }
  void stop_accepting();
  // Requests received but not yet answered, across all connections.
  int in_flight() const { return in_flight_->load(); }

 private:
  void accept();

  IoLoops& loops_;
  HttpServerOptions options_;
  HttpHandler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::shared_ptr<std::atomic<int>> in_flight_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace sluice::server
