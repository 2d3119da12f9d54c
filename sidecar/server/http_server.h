#pragma once
// An HTTP/1.1 and HTTP/2 server: Boost.Beast for HTTP/1.1 (keep-alive
// connections, one request at a time per connection: the AWS SDKs do not
// pipeline; HTTP/1.0 clients get 1.0 replies), and libnghttp2 for a connection
// that opens with the HTTP/2 preface (h2c with prior knowledge, as the SDKs
// send for Kinesis SubscribeToShard; many streams at once, see
// http2_connection.h). Either way requests go to one HttpHandler that answers
// through a Responder, possibly later and from another thread (long polls,
// group commits). A streamed answer (HttpResponse::stream) goes out as HTTP/2
// DATA frames or HTTP/1.1 chunks as it is written.
//
// Connections are spread over the IoLoops, one loop each (see io_loops.h); a
// connection's timer runs on its loop too. Reading a request is bounded by the
// timeouts below; a request the handler holds (a 20 s long poll) never is.
// Malformed requests get 400 (413, 414, 431) and `Connection: close`; over
// HTTP/2, 408, 413, 414 and 431 end only their stream.
//
// Lifecycle: construct, listen() (binds now, so the port is known and start-up
// fails early), then the loops' threads serve; stop_accepting() closes the
// listener, and connections finish their current request (answered with
// `Connection: close`; HTTP/2 ones get GOAWAY and finish their open streams)
// before closing; idle ones close at their idle timeout or when the loops
// stop. Destroy after the loops have stopped: connections still open then hold
// only the state they share with the server.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "sidecar/server/http.h"
#include "sidecar/server/io_loops.h"

namespace sluice::server {

struct HttpServerOptions {
  std::string bind = "0.0.0.0";
  uint16_t port = 0;                     // 0: any free port
  size_t body_limit = size_t(32) << 20;  // larger bodies get 413
  std::string name = "http";             // for logs
  // From accept, or from a request's first byte, to the end of its header section.
  std::chrono::milliseconds header_timeout{10'000};
  // From the end of the header section to the end of the body; one budget, not reset
  // by progress, so a trickle cannot hold a connection: 32 MiB at 1 MiB/s fits.
  std::chrono::milliseconds body_timeout{60'000};
  // Keep-alive with no request (as ALB's default idle timeout), and the time a
  // client may take to read a response.
  std::chrono::milliseconds idle_timeout{60'000};
  // Open connections; beyond it a new one gets 503 and is closed at once.
  size_t max_connections = 10'000;
  uint32_t header_limit = 64 << 10;  // larger header sections get 431 (ALB's limit)
  size_t target_limit = 16 << 10;    // longer request targets get 414 (ALB's request-line limit)
};

class HttpServer {
 public:
  HttpServer(IoLoops& loops, HttpServerOptions options, HttpHandler handler);
  ~HttpServer();

  // Binds and starts accepting; returns false and sets *error on failure.
  bool listen(std::string* error);
  uint16_t port() const { return port_; }
  void stop_accepting();
  // Requests received but not yet answered, across all connections and protocols.
  int in_flight() const;
  // Connections accepted and not yet closed.
  size_t connections() const;

  struct Shared;  // what connections share with the server (http_server_shared.h)

 private:
  void accept();
  void admit(boost::asio::ip::tcp::socket socket);
  void back_off(const boost::system::error_code& ec);

  IoLoops& loops_;
  std::shared_ptr<Shared> shared_;
  boost::asio::ip::tcp::acceptor acceptor_;
  // The rest is used on the main loop only, by the accept loop. An episode of
  // failed accepts (over once accepts work for a few seconds) or of refused
  // connections is logged when it starts and when it is over.
  boost::asio::steady_timer backoff_;
  std::chrono::milliseconds backoff_delay_{0};
  bool accept_failing_ = false;
  uint64_t accept_failures_ = 0;
  std::chrono::steady_clock::time_point last_accept_failure_;
  bool refusing_ = false;
  uint64_t refused_ = 0;
  uint16_t port_ = 0;
};

}  // namespace sluice::server
