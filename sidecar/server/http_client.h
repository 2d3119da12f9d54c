#pragma once
// AsioHttpClient: the engines' HttpClient (runtime/common/http_client.h) on
// Boost.Beast, HTTP/1.1 and HTTPS (OpenSSL), over one event loop.
//
// Threading: one io_context (the sidecar passes one of its IoLoops) runs every
// connection, timer and pool, so the pools need no lock. send() may be called
// from any thread: it parses the URL and serializes the request head on the
// caller's thread, then posts the request to the loop; `done` runs on the loop.
// One loop keeps the per-host limit exact and the state lock-free; the client
// sends small requests and spends its time waiting, so a loop is plenty for
// SNS's deliveries.
//
// Pools: one per (scheme, host, port), made on first use and dropped
// idle_timeout after its last connection closed; an HTTPS pool keeps the last
// TLS session for its new connections to resume. A request takes the most
// recently used idle connection, else opens one if the host has fewer than
// max_connections_per_host, else waits in the host's queue (in order; its
// timeout keeps running). Idle connections close after idle_timeout, or as soon
// as the server closes them (the socket turns readable while idle).
// A request that fails on a reused connection before any byte of the response
// arrived (the server closed it as the request left) is sent again, once, on a
// fresh connection; a fresh connection's failure is the reply.
//
// A request's timeout runs from send() and covers the queue, DNS, connect, the
// TLS handshake, the write and the read. The request is written while the
// response is read, so a server that answers early (a 413 before the body) is
// heard. A URL's user:password@ becomes Authorization: Basic unless the request
// has its own Authorization.
//
// Lifecycle: construct (sets up the trust store; throws if ca_file is unusable),
// send() from anywhere, stop() or destroy. stop() answers every queued and
// in-flight request with "client stopped" on the loop and closes the
// connections; later sends get the same answer. REQUIRES: the io_context
// outlives the client; callbacks still pending when the loop stops for good
// are destroyed with it, unrun. `done` must not throw.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "runtime/common/http_client.h"

namespace sluice::server {

struct HttpClientOptions {
  // Open connections per (scheme, host, port); requests beyond wait for one.
  size_t max_connections_per_host = 64;
  // An unused keep-alive connection closes after this long.
  std::chrono::seconds idle_timeout{30};
  // A longer response body is cut here: the reply keeps its status, carries the
  // first max_response_body bytes and says so in `error`; the connection closes.
  size_t max_response_body = size_t(1) << 20;
  // HTTPS: check the server's certificate chain and its name against the URL's host.
  bool verify_peer = true;
  // PEM file of trusted CAs, instead of the system's store; "" for the system's.
  std::string ca_file;
  // Sent unless the request has its own User-Agent; "" sends none.
  std::string user_agent = "Sluice";
};

// An http or https URL, taken apart (exposed for tests).
struct ParsedUrl {
  bool tls = false;
  std::string host;           // without the brackets of an IPv6 literal
  uint16_t port = 0;          // 80 or 443 when the URL has none
  std::string target;         // path and query; "/" when the URL has none
  std::string host_header;    // host[:port], the port only when not the default
  std::string authorization;  // "Basic ..." from user:password@, or ""
};

// nullopt and *error set when `url` is not an absolute http(s) URL.
std::optional<ParsedUrl> parse_http_url(std::string_view url, std::string* error);

class AsioHttpClient final : public HttpClient {
 public:
  explicit AsioHttpClient(boost::asio::io_context& io, HttpClientOptions options = {});
  ~AsioHttpClient() override;
  AsioHttpClient(const AsioHttpClient&) = delete;
  AsioHttpClient& operator=(const AsioHttpClient&) = delete;

  void send(HttpClientRequest request, std::function<void(HttpClientReply)> done) override;
  // Any thread, any number of times; returns at once (see the file comment).
  void stop();

  struct Core;  // the pools and what they share, on the loop (http_client.cc)

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace sluice::server
