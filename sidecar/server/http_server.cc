#include "sidecar/server/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iostream>
#include <optional>
#include <string_view>

#include "sidecar/server/http2_connection.h"
#include "sidecar/server/http_server_shared.h"
#include "sidecar/server/stream_body.h"

namespace sluice::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

using Clock = std::chrono::steady_clock;
constexpr Clock::time_point kNever = Clock::time_point::max();
// After a response with Connection: close, how long to read and drop what the
// client still sends: closing with unread input resets the connection, and the
// client may lose the response (a 400 sent before the rest of a long request).
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::chrono::milliseconds kMinBackoff{50}, kMaxBackoff{1000};
// Fits a whole SDK request (headers with SigV4, a small body) in one read.
constexpr size_t kMinRead = 4096;
// A new accept failure this long after the last one starts a new episode.
constexpr std::chrono::seconds kEpisodeGap{5};
// A connection that starts with this is HTTP/2 with prior knowledge (RFC 9113 3.3).
constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
// The most of a streamed body written at once, as one chunk.
constexpr size_t kChunkSize = 64 << 10;

// Parses one request straight into an HttpRequest, with no Beast message in
// between. One per request: Beast's parsers cannot be reset.
class RequestParser final : public http::basic_parser<true> {
 public:
  explicit RequestParser(const HttpServerOptions& options) : target_limit_(options.target_limit) {
    header_limit(options.header_limit);
    body_limit(options.body_limit);
    eager(true);  // header and body in one put() when both are buffered
  }

  HttpRequest& request() { return request_; }
  int version() const { return version_; }  // 10 or 11; 0 until the request line is parsed
  bool target_too_long() const { return target_too_long_; }

 private:
  void on_request_impl(http::verb, beast::string_view method, beast::string_view target, int version,
                       beast::error_code& ec) override {
    version_ = version;
    if (target.size() > target_limit_) {
      target_too_long_ = true;
      ec = http::error::bad_target;
      return;
    }
    request_.method.assign(method.data(), method.size());
    std::string_view t(target.data(), target.size());
    auto q = t.find('?');
    request_.path.assign(t.substr(0, q));
    if (q != std::string_view::npos) request_.query.assign(t.substr(q + 1));
    request_.headers.reserve(16);
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}
  void on_field_impl(http::field f, beast::string_view name, beast::string_view value, beast::error_code&) override {
    transfer_encoding_ |= f == http::field::transfer_encoding;
    auto& lower =
        request_.headers.emplace_back(std::string(name.data(), name.size()), std::string(value.data(), value.size()))
            .first;
    for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  }
  void on_header_impl(beast::error_code& ec) override {
    // RFC 9112 6.3: unless chunked comes last, a request's length is unknown.
    if (transfer_encoding_ && !chunked()) ec = http::error::bad_transfer_encoding;
  }
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
    if (length) request_.body.reserve(size_t(*length));  // within body_limit: Beast checked it
  }
  size_t on_body_impl(beast::string_view s, beast::error_code&) override {
    request_.body.append(s.data(), s.size());
    return s.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view s, beast::error_code&) override {
    request_.body.append(s.data(), s.size());
    return s.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  HttpRequest request_;
  size_t target_limit_;
  int version_ = 0;
  bool target_too_long_ = false;
  bool transfer_encoding_ = false;
};

// One connection. Owns its socket, parser and timer; every step runs on the
// connection's loop, so nothing here is locked. Lives while an operation, the
// timer or an unanswered Responder holds it.
//
// One timer per connection bounds each phase. Phases only store their deadline;
// the timer is moved only to fire earlier, and when it fires early it waits
// again for the current deadline, so a fast request does not touch it at all.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Shared> shared)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        shared_(std::move(shared)),
        options_(shared_->options) {}
  ~Session() {
    if (!handed_off_) shared_->connections.fetch_sub(1, std::memory_order_relaxed);
  }

  void start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->phase_ = Phase::header;  // the first request's header_timeout runs from accept
      self->set_deadline(self->options_.header_timeout);
      self->parser_.emplace(self->options_);
      self->read();
    });
  }

 private:
  enum class Phase {
    idle,      // between requests: idle_timeout
    header,    // reading the header section: header_timeout
    body,      // reading the body: body_timeout
    handling,  // the handler has the request: no deadline
    writing,   // idle_timeout, for a client that does not read
    closing,   // answered with Connection: close, dropping input: kLingerTime
  };
  enum class After { next_request, linger, close };
  enum class Sniff { http1, http2, more };

  void read() {
    arm();
    socket_.async_read_some(buffer_.prepare(std::max(beast::read_size(buffer_, 65536), kMinRead)),
                            [self = shared_from_this()](beast::error_code ec, size_t n) { self->on_read(ec, n); });
  }

  void on_read(beast::error_code ec, size_t n) {
    if (ec) {
      // Timed out with part of a request read: say so. Otherwise the peer is gone.
      if (timed_out_ && parser_->got_some() && socket_.is_open())
        return write_error(408, "request timeout\n", After::close);
      return close();
    }
    timed_out_ = false;  // the data beat the timer; parse() re-arms it if the phase goes on
    buffer_.commit(n);
    parse();
  }

  void parse() {
    if (sniffing_) {
      const Sniff protocol = sniff();
      if (protocol == Sniff::more) return read();
      if (protocol == Sniff::http2) return hand_off();
      sniffing_ = false;
    }
    while (buffer_.size() > 0) {
      if (phase_ == Phase::idle) {
        phase_ = Phase::header;
        set_deadline(options_.header_timeout);
      }
      beast::error_code ec;
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) break;
      if (ec) return reject(ec);
      if (parser_->is_done()) return dispatch();
      if (used == 0) break;
    }
    if (parser_->is_header_done()) {
      if (phase_ == Phase::header) {
        phase_ = Phase::body;
        set_deadline(options_.body_timeout);
      }
      // Only a chunk-size line or the trailer stays buffered; Beast does not bound them.
      if (buffer_.size() >= options_.header_limit) return write_error(400, "chunk header or trailer too large\n");
    }
    read();
  }

  // A connection's first bytes choose its protocol: the HTTP/2 preface, or as
  // much of it as has arrived (the header timeout bounds the wait), or HTTP/1.
  Sniff sniff() const {
    std::string_view got(static_cast<const char*>(buffer_.data().data()),
                         std::min(buffer_.size(), kHttp2Preface.size()));
    if (kHttp2Preface.substr(0, got.size()) != got) return Sniff::http1;
    return got.size() == kHttp2Preface.size() ? Sniff::http2 : Sniff::more;
  }

  // The socket, what was read of it and the connection's count go to HTTP/2.
  void hand_off() {
    handed_off_ = true;
    timer_.cancel();
    serve_http2(std::move(socket_), {static_cast<const char*>(buffer_.data().data()), buffer_.size()}, shared_);
  }

  void dispatch() {
    phase_ = Phase::handling;
    deadline_ = kNever;
    keep_alive_ = parser_->keep_alive();
    version_ = parser_->version();
    shared_->in_flight.fetch_add(1);
    auto self = shared_from_this();
    shared_->handler(std::move(parser_->request()), [self](HttpResponse r) {
      net::post(self->socket_.get_executor(), [self, r = std::move(r)]() mutable {
        self->write(std::move(r), After::next_request, /*answers_request=*/true);
      });
    });
  }

  void reject(beast::error_code ec) {
    if (ec == http::error::body_limit) return write_error(413, "request body too large\n");
    if (parser_->target_too_long() || (ec == http::error::header_limit && request_line_too_long()))
      return write_error(414, "request target too long\n");
    if (ec == http::error::header_limit) return write_error(431, "request header section too large\n");
    write_error(400, "malformed request: " + ec.message() + "\n");
  }

  // Beast gives up at the header limit before parsing a longer request line.
  bool request_line_too_long() const {
    if (parser_->version() != 0) return false;
    std::string_view buffered(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    return buffered.substr(0, buffered.find('\n')).size() > options_.target_limit;
  }

  void write_error(int status, std::string text, After after = After::linger) {
    keep_alive_ = false;
    version_ = parser_->version() != 0 ? parser_->version() : 11;
    write(text_response(status, std::move(text)), after, /*answers_request=*/false);
  }

  // A request stays in flight until its answer is written, so that a draining
  // server does not stop the io_context under a half-written response.
  void write(HttpResponse r, After after, bool answers_request) {
    if (r.stream) return write_stream(std::move(r));
    if (shared_->draining.load(std::memory_order_relaxed)) keep_alive_ = false;
    after_write_ = keep_alive_ || after != After::next_request ? after : After::linger;
    auto& res = response_.emplace(http::status(r.status), version_);
    res.set(http::field::server, "sluice");
    res.set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res.set(k, v);
    if (!keep_alive_) res.set(http::field::connection, "close");
    else if (version_ == 10) res.set(http::field::connection, "keep-alive");
    res.body() = std::move(r.body);
    res.prepare_payload();
    phase_ = Phase::writing;
    set_deadline(options_.idle_timeout);
    arm();
    http::async_write(socket_, res, [self = shared_from_this(), answers_request](beast::error_code ec, size_t) {
      if (answers_request) self->shared_->in_flight.fetch_sub(1);
      self->on_write(ec);
    });
  }

  void on_write(beast::error_code ec) {
    response_.reset();
    if (ec || after_write_ == After::close) return close();
    if (after_write_ == After::linger) return linger();
    phase_ = Phase::idle;
    set_deadline(options_.idle_timeout);
    parser_.emplace(options_);
    parse();  // a pipelined request may be buffered already
  }

  // A streamed body goes out chunked (to HTTP/1.0, up to the close), and the
  // connection closes after it. The request is in flight until its last chunk
  // is written or the client goes away, which a read meanwhile notices.
  void write_stream(HttpResponse r) {
    keep_alive_ = false;
    auto& head = stream_head_.emplace(http::status(r.status), version_);
    head.set(http::field::server, "sluice");
    head.set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) head.set(k, v);
    head.set(http::field::connection, "close");
    if (version_ == 11) head.chunked(true);
    stream_ = std::make_shared<StreamBody>([weak = weak_from_this(), ex = socket_.get_executor()] {
      net::post(ex, [weak] {
        if (auto self = weak.lock()) self->pump();
      });
    });
    phase_ = Phase::writing;
    set_deadline(options_.idle_timeout);
    arm();
    http::async_write_header(socket_, stream_serializer_.emplace(head),
                             [self = shared_from_this(), start = std::move(r.stream)](beast::error_code ec, size_t) {
                               if (ec) return self->end_stream(/*client_gone=*/true);
                               self->watch_peer();
                               start(self->stream_);
                               self->pump();
                             });
  }

  // Writes what the body has queued; when nothing is, waits (no deadline) for wake().
  void pump() {
    if (chunk_writing_ || !stream_) return;
    chunk_.resize(std::clamp(stream_->pending(), size_t(1), kChunkSize));
    size_t n = 0;
    const auto state = stream_->read(chunk_.data(), chunk_.size(), &n);
    chunk_.resize(n);
    if (state == StreamBody::Read::wait) {
      deadline_ = kNever;
      return;
    }
    const bool last = state == StreamBody::Read::last;
    if (version_ == 11) frame_chunk(last);
    chunk_writing_ = true;
    set_deadline(options_.idle_timeout);
    arm();
    net::async_write(socket_, net::buffer(chunk_), [self = shared_from_this(), last](beast::error_code ec, size_t) {
      self->chunk_writing_ = false;
      if (ec || last) return self->end_stream(/*client_gone=*/bool(ec));
      self->pump();
    });
  }

  // RFC 9112 7.1: size in hex, data, and after the last chunk a zero one.
  void frame_chunk(bool last) {
    if (!chunk_.empty()) {
      char size[16];
      auto end = std::to_chars(size, size + sizeof size, chunk_.size(), 16).ptr;
      chunk_.insert(0, std::string(size, end) + "\r\n");
      chunk_ += "\r\n";
    }
    if (last) chunk_ += "0\r\n\r\n";
  }

  // Reads, and drops, what the client sends while the body streams: a read
  // that fails is the client gone.
  void watch_peer() {
    socket_.async_read_some(buffer_.prepare(kMinRead), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->stream_ ? self->end_stream(/*client_gone=*/true) : self->close();
      self->watch_peer();
    });
  }

  void end_stream(bool client_gone) {
    if (!stream_) return;
    if (client_gone) stream_->cancel();
    stream_.reset();
    shared_->in_flight.fetch_sub(1);
    if (client_gone) return close();
    // The client reads the end and closes; watch_peer's read sees that.
    phase_ = Phase::closing;
    set_deadline(kLingerTime);
    arm();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
  }

  void linger() {
    phase_ = Phase::closing;
    set_deadline(kLingerTime);
    arm();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    buffer_.clear();
    drain();
  }

  void drain() {
    socket_.async_read_some(buffer_.prepare(16 << 10), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }

  void close() {
    timer_.cancel();
    beast::error_code ignored;
    socket_.close(ignored);
  }

  void set_deadline(Clock::duration d) { deadline_ = Clock::now() + d; }

  void arm() {
    if (deadline_ >= armed_) return;
    armed_ = deadline_;
    timer_.expires_at(deadline_);  // cancels a later wait
    timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](beast::error_code ec) {
      self->on_timer(ec, generation);
    });
  }

  void on_timer(beast::error_code ec, uint64_t generation) {
    if (ec || generation != timer_generation_) return;  // cancelled, or a newer wait replaced it
    armed_ = kNever;
    if (deadline_ == kNever || !socket_.is_open()) return;  // the next phase arms it again
    if (Clock::now() < deadline_) return arm();
    if (phase_ == Phase::header || phase_ == Phase::body) {
      timed_out_ = true;  // on_read answers 408
      beast::error_code ignored;
      socket_.cancel(ignored);
      return;
    }
    close();
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  std::shared_ptr<HttpServer::Shared> shared_;
  const HttpServerOptions& options_;  // in *shared_
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::optional<http::response<http::string_body>> response_;  // while it is written
  // A streamed response: its header, serializer and body, and the chunk being written.
  std::optional<http::response<http::empty_body>> stream_head_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  std::shared_ptr<StreamBody> stream_;  // until its end is written or the client goes
  std::string chunk_;
  bool chunk_writing_ = false;
  Phase phase_ = Phase::header;
  After after_write_ = After::next_request;
  Clock::time_point deadline_ = kNever;  // of the current phase
  Clock::time_point armed_ = kNever;     // of the pending timer wait
  uint64_t timer_generation_ = 0;
  int version_ = 11;
  bool keep_alive_ = true;
  bool timed_out_ = false;
  bool sniffing_ = true;     // until the first bytes tell HTTP/1 from HTTP/2
  bool handed_off_ = false;  // to HTTP/2, with the socket and the connection's count
};

}  // namespace

HttpServer::HttpServer(IoLoops& loops, HttpServerOptions options, HttpHandler handler)
    : loops_(loops),
      shared_(std::make_shared<Shared>(std::move(options), std::move(handler))),
      acceptor_(loops.main()),
      backoff_(loops.main()) {}

HttpServer::~HttpServer() = default;

int HttpServer::in_flight() const { return shared_->in_flight.load(); }

size_t HttpServer::connections() const { return shared_->connections.load(); }

bool HttpServer::listen(std::string* error) {
  const HttpServerOptions& o = shared_->options;
  beast::error_code ec;
  auto address = net::ip::make_address(o.bind, ec);
  if (ec) {
    *error = "invalid bind address " + o.bind;
    return false;
  }
  tcp::endpoint endpoint(address, o.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    *error = o.name + ": cannot listen on " + o.bind + ":" + std::to_string(o.port) + ": " + ec.message();
    return false;
  }
  port_ = acceptor_.local_endpoint().port();
  accept();
  return true;
}

void HttpServer::accept() {
  acceptor_.async_accept(loops_.next(), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) return back_off(ec);
    backoff_delay_ = {};
    if (accept_failing_ && Clock::now() - last_accept_failure_ >= kEpisodeGap) {
      std::cerr << shared_->options.name << ": accepting again; " << accept_failures_ << " accepts failed\n";
      accept_failing_ = false;
    }
    admit(std::move(socket));
    accept();
  });
}

// Out of descriptors (EMFILE, ENFILE) or buffers, accept fails at once and again:
// retrying later lets the process serve its open connections and other listeners.
void HttpServer::back_off(const beast::error_code& ec) {
  auto now = Clock::now();
  if (!accept_failing_ || now - last_accept_failure_ >= kEpisodeGap) {
    std::cerr << shared_->options.name << ": accept failed (" << ec.message() << "); retrying after "
              << kMinBackoff.count() << " ms, backing off to " << kMaxBackoff.count() << " ms\n";
    accept_failing_ = true;
    accept_failures_ = 0;
  }
  ++accept_failures_;
  last_accept_failure_ = now;
  backoff_delay_ = backoff_delay_.count() == 0 ? kMinBackoff : std::min(2 * backoff_delay_, kMaxBackoff);
  backoff_.expires_after(backoff_delay_);
  backoff_.async_wait([this](beast::error_code e) {
    if (!e && acceptor_.is_open()) accept();
  });
}

// Over the limit, a connection gets 503 and is closed rather than left in the
// listen backlog: it then holds no descriptor and no memory here, and the client
// learns at once (the SDKs retry a 503 with backoff) instead of timing out.
void HttpServer::admit(tcp::socket socket) {
  Shared& s = *shared_;
  beast::error_code ec;
  size_t open = s.connections.load(std::memory_order_relaxed);
  if (open >= s.options.max_connections) {
    if (!refusing_) {
      std::cerr << s.options.name << ": " << open << " connections open, the limit; refusing new ones with 503\n";
      refusing_ = true;
      refused_ = 0;
    }
    ++refused_;
    static const std::string k503 = [] {
      std::string body = "too many connections\n";
      return "HTTP/1.1 503 Service Unavailable\r\nServer: sluice\r\nConnection: close\r\nRetry-After: 1\r\n"
             "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body;
    }();
    // A new socket's send buffer is empty, so one non-blocking send takes it all.
    socket.non_blocking(true, ec);
    if (!ec) socket.send(net::buffer(k503), 0, ec);
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.close(ec);
    return;
  }
  if (refusing_ && open * 10 < s.options.max_connections * 9) {  // hysteresis: one line per episode
    std::cerr << s.options.name << ": accepting connections again; " << refused_ << " were refused\n";
    refusing_ = false;
  }
  socket.set_option(tcp::no_delay(true), ec);
  s.connections.fetch_add(1, std::memory_order_relaxed);
  std::make_shared<Session>(std::move(socket), shared_)->start();
}

void HttpServer::stop_accepting() {
  shared_->drain();
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    backoff_.cancel();
  });
}

}  // namespace sluice::server
