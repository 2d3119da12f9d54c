#include "sidecar/server/http_client.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <limits>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "runtime/common/base64.h"

namespace sluice::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

using Clock = std::chrono::steady_clock;
using Done = std::function<void(HttpClientReply)>;
constexpr Clock::time_point kNever = Clock::time_point::max();
constexpr uint32_t kHeaderLimit = 64 << 10;
// An idle connection keeps at most this much read buffer.
constexpr size_t kIdleBuffer = 16 << 10;
constexpr char kStopped[] = "client stopped";
constexpr char kTimedOut[] = "timed out";

HttpClientReply failure(std::string error) {
  HttpClientReply r;
  r.error = std::move(error);
  return r;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 9110 5.6.2: methods and field names.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_alnum(c) && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += char(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Where a pool's connections go.
struct Route {
  bool tls = false;
  std::string host;
  uint16_t port = 0;
  bool ip_literal = false;  // not resolved, not sent as SNI
};

// A request on its way: serialized on the caller's thread, then owned by the
// loop (a pool's queue, then a connection) until answered. `done` is empty once
// it has been called.
struct Pending {
  std::string head;  // request line and header section
  std::string body;
  Clock::time_point deadline;
  Done done;
  bool head_request = false;  // a HEAD: the response has no body
  bool close = false;         // the caller asked for Connection: close
  bool retried = false;       // already sent again once on a fresh connection
  uint64_t seq = 0;           // place in the pool's queue
};

void answer(Pending& p, HttpClientReply reply) {
  Done done = std::move(p.done);
  p.done = nullptr;
  done(std::move(reply));
}

// The request line and header section; false and *error on a bad method or header.
bool serialize(const HttpClientRequest& r, const ParsedUrl& url, const std::string& user_agent, Pending* p,
               std::string* error) {
  if (!is_token(r.method)) {
    *error = "invalid method";
    return false;
  }
  bool has_host = false, has_user_agent = false, has_authorization = false;
  size_t size =
      r.method.size() + url.target.size() + url.host_header.size() + user_agent.size() + url.authorization.size() + 96;
  for (const auto& [name, value] : r.headers) {
    if (!is_token(name)) {
      *error = "invalid header name";
      return false;
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      *error = "invalid value for header " + name;
      return false;
    }
    has_host |= iequals(name, "host");
    has_user_agent |= iequals(name, "user-agent");
    has_authorization |= iequals(name, "authorization");
    size += name.size() + value.size() + 4;
  }
  std::string& h = p->head;
  h.reserve(size);
  h.append(r.method).append(" ").append(url.target).append(" HTTP/1.1\r\n");
  if (!has_host) h.append("Host: ").append(url.host_header).append("\r\n");
  if (!has_user_agent && !user_agent.empty()) h.append("User-Agent: ").append(user_agent).append("\r\n");
  if (!has_authorization && !url.authorization.empty())
    h.append("Authorization: ").append(url.authorization).append("\r\n");
  // RFC 9110 8.6: no Content-Length on a bodiless request whose method defines no body.
  if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH")
    h.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
  for (const auto& [name, value] : r.headers) {
    // The body is sent whole, framed by the Content-Length above.
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding")) continue;
    if (iequals(name, "connection") && iequals(value, "close")) p->close = true;
    h.append(name).append(": ").append(value).append("\r\n");
  }
  h.append("\r\n");
  p->head_request = r.method == "HEAD";
  return true;
}

// Parses one response straight into an HttpClientReply, the body up to a limit.
// One per response: Beast's parsers cannot be reset.
class ResponseParser final : public http::basic_parser<false> {
 public:
  ResponseParser(size_t limit, bool head_request) : limit_(limit) {
    header_limit(kHeaderLimit);
    // append() cuts the body instead of failing the response. Not boost::none: Beast 1.74
    // compares a Content-Length with the optional and takes none for smaller than any.
    body_limit(std::numeric_limits<std::uint64_t>::max());
    eager(true);
    skip(head_request);
  }

  HttpClientReply& reply() { return reply_; }
  // The body passed the limit; the parse stopped with http::error::body_limit.
  bool truncated() const { return truncated_; }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int, beast::error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, beast::error_code&) override {
    reply_.status = code;
    reply_.headers.reserve(12);
  }
  void on_field_impl(http::field, beast::string_view name, beast::string_view value, beast::error_code&) override {
    auto& [k, v] =
        reply_.headers.emplace_back(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
    for (auto& c : k) c = lower(c);
  }
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
    if (length) reply_.body.reserve(size_t(std::min<std::uint64_t>(*length, limit_)));
  }
  size_t on_body_impl(beast::string_view s, beast::error_code& ec) override { return append(s, ec); }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view s, beast::error_code& ec) override {
    return append(s, ec);
  }
  void on_finish_impl(beast::error_code&) override {}

  size_t append(beast::string_view s, beast::error_code& ec) {
    size_t room = limit_ - reply_.body.size();
    if (s.size() > room) {
      reply_.body.append(s.data(), room);
      truncated_ = true;
      ec = http::error::body_limit;
    } else {
      reply_.body.append(s.data(), s.size());
    }
    return s.size();
  }

  HttpClientReply reply_;
  size_t limit_;
  bool truncated_ = false;
};

std::string describe_read_error(const beast::error_code& ec) {
  if (ec == http::error::end_of_stream || ec == net::error::eof || ec == ssl::error::stream_truncated)
    return "connection closed before the response";
  if (ec == http::error::partial_message) return "connection closed before the end of the response";
  if (ec.category() == beast::error_code(http::error::bad_version).category())
    return "malformed response: " + ec.message();
  return ec.message();
}

class Pool;

}  // namespace

// Everything the client's handlers share. Outlives the client while handlers
// hold it. `options` and `tls` are immutable after construction and `stopping`
// is atomic; the rest is used on the loop only.
struct AsioHttpClient::Core {
  Core(net::io_context& i, HttpClientOptions o) : io(i), options(std::move(o)), tls(ssl::context::tls_client) {}

  void submit(std::string key, Route route, Pending p);
  void shutdown();

  net::io_context& io;
  const HttpClientOptions options;
  ssl::context tls;
  std::atomic<bool> stopping{false};                             // stop() was called: send() answers at once
  bool stopped = false;                                          // the shutdown has run
  std::unordered_map<std::string, std::shared_ptr<Pool>> pools;  // by scheme://host:port
};

using Core = AsioHttpClient::Core;

namespace {

// One HTTP/1.1 connection, plain or TLS, one exchange at a time. Owned by its
// Pool while attached (`pool_` set), and by its pending handlers; on the loop
// only. Once detached it does nothing more: late handlers find `pool_` null.
//
// Life: start() resolves, connects and (HTTPS) handshakes, then writes the
// request while reading the response; finish() answers and either hands the
// connection back to the pool (keep-alive) or detaches and closes it.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(Pool& pool);

  // REQUIRES: attached and not in an exchange.
  void start(Pending p);
  // The exchange is over and the connection waits in the pool: a readable socket
  // now means the server closed it (or broke the protocol).
  void park();
  Clock::time_point idle_since() const { return idle_since_; }
  // Detaches and closes (the pool has let go of it); returns an unanswered request's callback.
  Done abandon();

 private:
  beast::tcp_stream& tcp() { return tls_ ? beast::get_lowest_layer(*tls_) : *tcp_; }
  template <class F>
  void with_stream(F&& f) {
    if (tls_) f(*tls_);
    else f(*tcp_);
  }

  void resolve();
  void on_resolved(const beast::error_code& ec, const tcp::resolver::results_type& results);
  template <class Endpoints>
  void connect(const Endpoints& endpoints);
  void on_connected(const beast::error_code& ec);
  void on_handshake(const beast::error_code& ec);
  void exchange();
  void read_response();
  void on_written(const beast::error_code& ec);
  void on_read(const beast::error_code& ec);
  void retry();
  void finish(HttpClientReply reply, bool reusable);
  void fail(std::string error) { finish(failure(std::move(error)), false); }
  bool timed_out(const beast::error_code& ec) const {
    return ec == beast::error::timeout || Clock::now() >= req_->deadline;
  }
  void close_socket();

  Pool* pool_;  // null once detached
  net::io_context& io_;
  std::optional<beast::tcp_stream> tcp_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  std::optional<tcp::resolver> resolver_;
  net::steady_timer resolve_timer_;
  beast::flat_buffer buffer_;
  std::optional<ResponseParser> parser_;
  // The current (or last) request. Its bytes stay here until the write is over,
  // even when the answer came first.
  std::optional<Pending> req_;
  beast::error_code write_error_;
  Clock::time_point idle_since_;
  uint64_t idle_generation_ = 0;  // a watch from an earlier idle spell is stale
  uint64_t exchanges_ = 0;        // answered on this connection: > 0 means reused
  bool connected_ = false;
  bool closed_ = false;
  bool idle_ = false;
  bool resolving_ = false;
  bool resolve_timed_out_ = false;
  bool writing_ = false;
  bool reading_ = false;
  bool got_response_bytes_ = false;  // of the current exchange
  bool retry_after_write_ = false;
};

// The connections and queue of one (scheme, host, port); on the loop only.
// Lives in Core::pools while it has a connection and idle_timeout after; its
// timers' handlers hold it too.
// Invariants: idle connections are the ones in `idle_` (oldest first), requests
// wait only while all max_connections_per_host connections are busy.
class Pool : public std::enable_shared_from_this<Pool> {
 public:
  Pool(Core& core, std::string key, Route route)
      : core_(core), key_(std::move(key)), route_(std::move(route)), idle_timer_(core.io), queue_timer_(core.io) {}
  ~Pool() {
    if (session_) SSL_SESSION_free(session_);
  }

  Core& core() { return core_; }
  const Route& route() const { return route_; }
  SSL_SESSION* session() const { return session_; }
  void remember_session(SSL_SESSION* s) {  // takes the reference
    if (!s) return;
    if (session_) SSL_SESSION_free(session_);
    session_ = s;
  }

  void submit(Pending p) {
    if (!idle_.empty()) {
      Connection* c = idle_.back();  // the most recently used: the likeliest to be alive
      idle_.pop_back();
      return c->start(std::move(p));
    }
    if (connections_.size() < std::max<size_t>(1, core_.options.max_connections_per_host)) return open(std::move(p));
    enqueue(std::move(p));
  }

  // From a connection whose exchange is over and that may take another.
  void reuse_or_park(Connection* c) {
    if (auto p = next_queued()) return c->start(std::move(*p));
    c->park();
    idle_.push_back(c);
    arm_idle_timer();
  }

  // From a connection that detached itself: its slot is free. May drop the pool.
  void closed(Connection* c) {
    remove(c);
    if (auto p = next_queued()) return open(std::move(*p));
    became_unused();
  }

  // From a detached connection whose request goes again on a fresh connection.
  void retry(Connection* c, Pending p) {
    remove(c);
    p.retried = true;
    open(std::move(p));
  }

  void shutdown(std::vector<Done>& out) {
    dead_ = true;
    idle_timer_.cancel();
    queue_timer_.cancel();
    for (auto& c : connections_)
      if (Done d = c->abandon()) out.push_back(std::move(d));
    for (auto& p : queue_)
      if (p.done) out.push_back(std::move(p.done));
    connections_.clear();
    idle_.clear();
    queue_.clear();
  }

 private:
  void open(Pending p) {
    auto c = std::make_shared<Connection>(*this);
    connections_.push_back(c);
    c->start(std::move(p));
  }

  void remove(Connection* c) {
    if (auto it = std::find(idle_.begin(), idle_.end(), c); it != idle_.end()) idle_.erase(it);
    auto it = std::find_if(connections_.begin(), connections_.end(), [c](const auto& p) { return p.get() == c; });
    if (it == connections_.end()) return;
    std::swap(*it, connections_.back());
    connections_.pop_back();  // may destroy *c
  }

  // Without connections the pool lingers for idle_timeout, keeping its TLS
  // session for the next connection, then leaves Core::pools.
  void became_unused() {
    if (!connections_.empty()) return;
    empty_since_ = Clock::now();
    arm_idle_timer();
  }

  // The queue is FIFO; `expiry_` orders the same requests by deadline, so that a
  // short timeout behind a long one still fires on time. Entries are not removed
  // from the middle: an expired one keeps its place with an empty `done`.
  void enqueue(Pending p) {
    p.seq = next_seq_++;
    expiry_.emplace(p.deadline, p.seq);
    queue_.push_back(std::move(p));
    arm_queue_timer();
  }

  Pending* queued(uint64_t seq) {
    if (seq < head_seq_ || seq - head_seq_ >= queue_.size()) return nullptr;
    Pending& p = queue_[size_t(seq - head_seq_)];
    return p.done ? &p : nullptr;
  }

  std::optional<Pending> next_queued() {
    while (!queue_.empty()) {
      Pending p = std::move(queue_.front());
      queue_.pop_front();
      ++head_seq_;
      if (!p.done) continue;
      if (Clock::now() >= p.deadline) {
        answer(p, failure(kTimedOut));
        continue;
      }
      return p;
    }
    return std::nullopt;
  }

  void arm_queue_timer() {
    while (!expiry_.empty() && !queued(expiry_.top().second)) expiry_.pop();
    if (expiry_.empty()) return;
    auto at = expiry_.top().first;
    if (at >= queue_armed_) return;  // an earlier wait is pending; it re-arms
    queue_armed_ = at;
    queue_timer_.expires_at(at);
    queue_timer_.async_wait([self = shared_from_this(), at](beast::error_code ec) {
      if (ec || self->dead_ || self->queue_armed_ != at) return;
      self->queue_armed_ = kNever;
      self->expire_queued();
    });
  }

  void expire_queued() {
    auto now = Clock::now();
    std::vector<Done> expired;
    while (!expiry_.empty() && expiry_.top().first <= now) {
      if (Pending* p = queued(expiry_.top().second)) {
        expired.push_back(std::move(p->done));
        p->done = nullptr;
      }
      expiry_.pop();
    }
    while (!queue_.empty() && !queue_.front().done) {
      queue_.pop_front();
      ++head_seq_;
    }
    arm_queue_timer();
    for (auto& d : expired) d(failure(kTimedOut));
  }

  // The idle timer's next work: the oldest idle connection's expiry, or the end of an empty pool's linger.
  Clock::time_point next_idle_deadline() const {
    if (!idle_.empty()) return idle_.front()->idle_since() + core_.options.idle_timeout;
    if (connections_.empty()) return empty_since_ + core_.options.idle_timeout;
    return kNever;
  }

  void arm_idle_timer() {
    auto at = next_idle_deadline();
    if (at == kNever || at >= idle_armed_) return;  // an earlier wait is pending; it re-arms
    idle_armed_ = at;
    idle_timer_.expires_at(at);
    idle_timer_.async_wait([self = shared_from_this(), at](beast::error_code ec) {
      if (ec || self->dead_ || self->idle_armed_ != at) return;
      self->idle_armed_ = kNever;
      self->on_idle_timer();
    });
  }

  void on_idle_timer() {
    auto now = Clock::now();
    bool closed_some = false;
    while (!idle_.empty() && idle_.front()->idle_since() + core_.options.idle_timeout <= now) {
      Connection* c = idle_.front();
      c->abandon();  // idle: no request to answer
      remove(c);
      closed_some = true;
    }
    if (connections_.empty() && queue_.empty()) {
      if (closed_some) return became_unused();
      if (empty_since_ + core_.options.idle_timeout <= now) {
        dead_ = true;
        queue_timer_.cancel();
        auto key = key_;
        core_.pools.erase(key);  // may destroy *this: nothing after
        return;
      }
    }
    arm_idle_timer();
  }

  Core& core_;
  const std::string key_;
  const Route route_;
  std::vector<std::shared_ptr<Connection>> connections_;  // every open one, busy or idle
  std::deque<Connection*> idle_;                          // in the order they became idle
  std::deque<Pending> queue_;
  std::priority_queue<std::pair<Clock::time_point, uint64_t>, std::vector<std::pair<Clock::time_point, uint64_t>>,
                      std::greater<>>
      expiry_;             // (deadline, seq) of queued requests, and stale entries
  uint64_t head_seq_ = 0;  // seq of queue_.front()
  uint64_t next_seq_ = 0;
  net::steady_timer idle_timer_;
  net::steady_timer queue_timer_;
  Clock::time_point idle_armed_ = kNever;  // of the pending wait, if any
  Clock::time_point queue_armed_ = kNever;
  Clock::time_point empty_since_;   // when the last connection closed
  SSL_SESSION* session_ = nullptr;  // HTTPS: resumed by new connections
  bool dead_ = false;               // out of Core::pools
};

Connection::Connection(Pool& pool) : pool_(&pool), io_(pool.core().io), resolve_timer_(io_) {}

void Connection::start(Pending p) {
  req_ = std::move(p);
  idle_ = false;
  ++idle_generation_;
  if (connected_) return exchange();
  resolve();
}

void Connection::park() {
  idle_ = true;
  idle_since_ = Clock::now();
  if (buffer_.capacity() > kIdleBuffer) buffer_.shrink_to_fit();
  // Not cancelled when the connection is taken again: the response's first bytes
  // complete it, and the generation tells the handler it is stale.
  tcp().socket().async_wait(
      tcp::socket::wait_read, [self = shared_from_this(), generation = idle_generation_](beast::error_code ec) {
        if (ec == net::error::operation_aborted || !self->pool_ || !self->idle_ || generation != self->idle_generation_)
          return;
        Pool* pool = self->pool_;
        self->pool_ = nullptr;
        self->close_socket();
        pool->closed(self.get());
      });
}

Done Connection::abandon() {
  pool_ = nullptr;
  idle_ = false;
  close_socket();
  if (!req_ || !req_->done) return nullptr;
  Done d = std::move(req_->done);
  req_->done = nullptr;
  return d;
}

void Connection::close_socket() {
  closed_ = true;
  if (resolving_) {
    resolve_timer_.cancel();
    resolver_->cancel();
  }
  if (tcp_ || tls_) tcp().close();
}

void Connection::resolve() {
  const Route& route = pool_->route();
  if (route.ip_literal)
    return connect(std::array<tcp::endpoint, 1>{tcp::endpoint(net::ip::make_address(route.host), route.port)});
  resolver_.emplace(io_);
  resolving_ = true;
  resolve_timer_.expires_at(req_->deadline);
  resolve_timer_.async_wait([self = shared_from_this()](beast::error_code e) {
    if (e || !self->resolving_) return;
    self->resolve_timed_out_ = true;
    self->resolver_->cancel();
  });
  resolver_->async_resolve(route.host, std::to_string(route.port), tcp::resolver::numeric_service,
                           [self = shared_from_this()](beast::error_code e, tcp::resolver::results_type results) {
                             self->on_resolved(e, results);
                           });
}

void Connection::on_resolved(const beast::error_code& ec, const tcp::resolver::results_type& results) {
  resolving_ = false;
  resolve_timer_.cancel();
  if (!pool_) return;
  if (resolve_timed_out_) return fail(kTimedOut);
  if (ec) return fail("cannot resolve " + pool_->route().host + ": " + ec.message());
  connect(results);
}

template <class Endpoints>
void Connection::connect(const Endpoints& endpoints) {
  if (pool_->route().tls) tls_.emplace(io_, pool_->core().tls);
  else tcp_.emplace(io_);
  tcp().expires_at(req_->deadline);
  tcp().async_connect(
      endpoints, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) { self->on_connected(ec); });
}

void Connection::on_connected(const beast::error_code& ec) {
  if (!pool_) return;
  const Route& route = pool_->route();
  if (ec) {
    if (timed_out(ec)) return fail(kTimedOut);
    return fail("cannot connect to " + route.host + ":" + std::to_string(route.port) + ": " + ec.message());
  }
  beast::error_code ignored;
  tcp().socket().set_option(tcp::no_delay(true), ignored);
  if (!tls_) {
    connected_ = true;
    return exchange();
  }
  SSL* ssl = tls_->native_handle();
  if (!route.ip_literal) SSL_set_tlsext_host_name(ssl, route.host.c_str());  // RFC 6066: SNI carries names only
  if (pool_->core().options.verify_peer) {
    if (route.ip_literal) X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), route.host.c_str());
    else SSL_set1_host(ssl, route.host.c_str());
  }
  // A copy: OpenSSL marks an SSL's session unresumable when the SSL goes without a
  // close_notify, which HTTP does not wait for.
  if (SSL_SESSION* s = pool_->session()) {
    SSL_SESSION* copy = SSL_SESSION_dup(s);
    if (copy) SSL_set_session(ssl, copy);
    SSL_SESSION_free(copy);
  }
  tls_->async_handshake(ssl::stream_base::client,
                        [self = shared_from_this()](beast::error_code e) { self->on_handshake(e); });
}

void Connection::on_handshake(const beast::error_code& ec) {
  if (!pool_) return;
  if (ec) {
    if (timed_out(ec)) return fail(kTimedOut);
    std::string error = "TLS handshake with " + pool_->route().host + " failed: " + ec.message();
    long verify = SSL_get_verify_result(tls_->native_handle());
    if (verify != X509_V_OK) error += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    return fail(std::move(error));
  }
  connected_ = true;
  exchange();
}

// Full duplex: the response is read while the request is written.
void Connection::exchange() {
  writing_ = reading_ = true;
  got_response_bytes_ = false;
  write_error_ = {};
  tcp().expires_at(req_->deadline);
  std::array<net::const_buffer, 2> buffers{net::buffer(req_->head), net::buffer(req_->body)};
  with_stream([&](auto& stream) {
    net::async_write(stream, buffers,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->on_written(ec); });
  });
  read_response();
}

void Connection::read_response() {
  parser_.emplace(pool_->core().options.max_response_body, req_->head_request);
  with_stream([&](auto& stream) {
    http::async_read(stream, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  });
}

void Connection::on_written(const beast::error_code& ec) {
  writing_ = false;
  if (!pool_) return;
  if (retry_after_write_) return retry();
  // The read decides: a server that answered and closed may have cut the write.
  if (ec && !closed_) write_error_ = ec;
}

void Connection::on_read(const beast::error_code& ec) {
  reading_ = false;
  if (!pool_ || closed_) return;
  got_response_bytes_ |= parser_->got_some();
  const bool cut = ec == http::error::body_limit && parser_->truncated();
  if (ec && !cut) {
    if (timed_out(ec)) return fail(kTimedOut);
    // The server closed a kept-alive connection as the request left: say it again,
    // once, on a fresh connection.
    if (exchanges_ > 0 && !req_->retried && !got_response_bytes_) {
      close_socket();
      if (writing_) retry_after_write_ = true;  // the request's bytes are in use until then
      else retry();
      return;
    }
    return fail(describe_read_error(ec));
  }
  int status = parser_->reply().status;
  if (status >= 100 && status < 200 && status != 101) {  // interim (100 Continue): the answer follows
    reading_ = true;
    return read_response();
  }
  HttpClientReply reply = std::move(parser_->reply());
  bool reusable = !cut && !writing_ && !write_error_ && !req_->close && status != 101 && parser_->keep_alive() &&
                  buffer_.size() == 0;
  if (cut) reply.error = "response body truncated at " + std::to_string(reply.body.size()) + " bytes";
  if (tls_ && exchanges_ == 0) {
    // TLS 1.3 sends the session tickets after the handshake: the session is resumable by now.
    SSL_SESSION* s = SSL_get0_session(tls_->native_handle());
    if (s && SSL_SESSION_is_resumable(s)) pool_->remember_session(SSL_SESSION_dup(s));
  }
  finish(std::move(reply), reusable);
}

void Connection::retry() {
  Pool* pool = pool_;
  pool_ = nullptr;
  pool->retry(this, std::move(*req_));
}

void Connection::finish(HttpClientReply reply, bool reusable) {
  ++exchanges_;
  Done done = std::move(req_->done);
  if (!writing_) req_.reset();  // else the write still reads its bytes
  else req_->done = nullptr;
  Pool* pool = pool_;
  if (reusable) {
    pool->reuse_or_park(this);
  } else {
    pool_ = nullptr;
    close_socket();
    pool->closed(this);
  }
  done(std::move(reply));
}

}  // namespace

void Core::submit(std::string key, Route route, Pending p) {
  if (stopped) return answer(p, failure(kStopped));
  auto [it, added] = pools.try_emplace(std::move(key));
  if (added) it->second = std::make_shared<Pool>(*this, it->first, std::move(route));
  it->second->submit(std::move(p));
}

void Core::shutdown() {
  stopped = true;
  std::vector<Done> dones;
  for (auto& [key, pool] : pools) pool->shutdown(dones);
  pools.clear();
  for (auto& d : dones) d(failure(kStopped));
}

std::optional<ParsedUrl> parse_http_url(std::string_view url, std::string* error) {
  auto invalid = [error](const char* why) -> std::optional<ParsedUrl> {
    *error = std::string("invalid URL: ") + why;
    return std::nullopt;
  };
  ParsedUrl u;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return invalid("not an absolute http or https URL");
  auto scheme = url.substr(0, scheme_end);
  if (iequals(scheme, "https")) u.tls = true;
  else if (!iequals(scheme, "http")) return invalid("the scheme is not http or https");
  auto rest = url.substr(scheme_end + 3);
  auto authority_end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, authority_end);
  auto tail = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    auto password = percent_decode(colon == std::string_view::npos ? "" : userinfo.substr(colon + 1));
    if (!user || !password) return invalid("bad percent-encoding in the user information");
    u.authorization = "Basic " + base64_encode(*user + ":" + *password);
  }

  std::string_view host, port;
  bool ipv6 = !authority.empty() && authority[0] == '[';
  if (ipv6) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unterminated IPv6 literal");
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return invalid("junk after the IPv6 literal");
      port = after.substr(1);
    }
    beast::error_code ec;
    net::ip::make_address_v6(std::string(host), ec);
    if (ec) return invalid("bad IPv6 literal");
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    for (char c : host)
      if (!is_alnum(c) && c != '-' && c != '.' && c != '_' && c != '~') return invalid("bad character in the host");
  }
  if (host.empty()) return invalid("no host");

  const uint16_t default_port = u.tls ? 443 : 80;
  u.port = default_port;
  if (!port.empty()) {  // "host:" means the default port (RFC 3986 3.2.3)
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return invalid("bad port");
    unsigned value = 0;
    for (char c : port) value = value * 10 + unsigned(c - '0');
    if (value == 0 || value > 65535) return invalid("bad port");
    u.port = uint16_t(value);
  }
  u.host.reserve(host.size());
  for (char c : host) u.host += lower(c);
  u.host_header = ipv6 ? "[" + u.host + "]" : u.host;
  if (u.port != default_port) u.host_header += ":" + std::to_string(u.port);

  tail = tail.substr(0, tail.find('#'));
  for (unsigned char c : tail)
    if (c <= 0x20 || c >= 0x7f) return invalid("bad character in the path or query");
  u.target = tail.empty() || tail[0] == '?' ? "/" + std::string(tail) : std::string(tail);
  return u;
}

AsioHttpClient::AsioHttpClient(net::io_context& io, HttpClientOptions options)
    : core_(std::make_shared<Core>(io, std::move(options))) {
  SSL_CTX_set_min_proto_version(core_->tls.native_handle(), TLS1_2_VERSION);
  if (core_->options.verify_peer) {
    core_->tls.set_verify_mode(ssl::verify_peer);
    if (core_->options.ca_file.empty()) core_->tls.set_default_verify_paths();
    else core_->tls.load_verify_file(core_->options.ca_file);
  } else {
    core_->tls.set_verify_mode(ssl::verify_none);
  }
}

AsioHttpClient::~AsioHttpClient() { stop(); }

void AsioHttpClient::stop() {
  if (core_->stopping.exchange(true)) return;
  net::post(core_->io, [core = core_] { core->shutdown(); });
}

void AsioHttpClient::send(HttpClientRequest request, std::function<void(HttpClientReply)> done) {
  if (!done) done = [](HttpClientReply) {};
  auto reject = [&](std::string error) {
    net::post(core_->io, [done = std::move(done), error = std::move(error)] { done(failure(error)); });
  };
  if (core_->stopping.load(std::memory_order_acquire)) return reject(kStopped);
  std::string error;
  auto url = parse_http_url(request.url, &error);
  if (!url) return reject(std::move(error));
  Pending p;
  if (!serialize(request, *url, core_->options.user_agent, &p, &error)) return reject(std::move(error));
  p.body = std::move(request.body);
  p.deadline = Clock::now() + request.timeout;
  p.done = std::move(done);
  std::string key = (url->tls ? "https://" : "http://") + url->host + ":" + std::to_string(url->port);
  beast::error_code not_ip;
  net::ip::make_address(url->host, not_ip);
  Route route{url->tls, std::move(url->host), url->port, !not_ip};
  net::post(core_->io, [core = core_, key = std::move(key), route = std::move(route), p = std::move(p)]() mutable {
    core->submit(std::move(key), std::move(route), std::move(p));
  });
}

}  // namespace sluice::server
