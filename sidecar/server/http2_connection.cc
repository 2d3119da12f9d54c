#include "sidecar/server/http2_connection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "sidecar/server/http2_session.h"
#include "sidecar/server/http_server_shared.h"

namespace sluice::server {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;
constexpr Clock::time_point kNever = Clock::time_point::max();
// Between the two GOAWAYs: streams the client opened before it saw the first
// still arrive and are served.
constexpr std::chrono::seconds kGoAwayGrace{1};
// After the last GOAWAY, as on HTTP/1.1: unread input would reset the
// connection, and the client could lose the GOAWAY.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kReadSize = 64 << 10;
constexpr size_t kWriteBatch = 256 << 10;

// One HTTP/2 connection. Every step runs on its loop, so nothing is locked;
// lives while an operation or the timer holds it (Responders and stream bodies
// hold it weakly). close() ends the session at once.
class Http2Connection : public std::enable_shared_from_this<Http2Connection> {
 public:
  Http2Connection(tcp::socket socket, std::shared_ptr<HttpServer::Shared> shared)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), shared_(std::move(shared)) {}
  ~Http2Connection() {
    shared_->forget_drain_hook(drain_hook_);
    shared_->connections.fetch_sub(1, std::memory_order_relaxed);
  }

  void start(std::string_view received) {
    error_code ignored;
    socket_.non_blocking(true, ignored);  // reads wait for readiness, then read into the loop's buffer
    session_.emplace(shared_->options, shared_->in_flight,
                     Http2Session::Hooks{[this](int32_t id, HttpRequest&& r) { handle(id, std::move(r)); },
                                         on_loop(&Http2Connection::resume)});
    drain_hook_ = shared_->on_drain(on_loop(&Http2Connection::drain));
    if (!session_->receive(received)) return close();
    advance();
  }

 private:
  // `method` as a function any thread may call: it runs on the loop, if the
  // connection is still there.
  template <class... Args>
  std::function<void(Args...)> on_loop(void (Http2Connection::*method)(Args...)) {
    return [weak = weak_from_this(), ex = socket_.get_executor(), method](Args... args) {
      net::post(ex, [weak, method, ... args = std::move(args)]() mutable {
        if (auto self = weak.lock()) (self.get()->*method)(std::move(args)...);
      });
    };
  }

  void handle(int32_t id, HttpRequest&& request) {
    shared_->handler(std::move(request),
                     [respond = on_loop(&Http2Connection::respond), id](HttpResponse r) { respond(id, std::move(r)); });
  }

  void respond(int32_t id, HttpResponse r) {
    if (!session_) return;
    session_->respond(id, std::move(r));
    advance();
  }

  void resume(int32_t id) {
    if (!session_) return;
    session_->resume(id);
    advance();
  }

  void drain() {
    if (!session_ || draining_) return;
    draining_ = true;
    session_->shutdown_notice();
    goaway_deadline_ = Clock::now() + kGoAwayGrace;
    advance();
  }

  // After every event: writes what the session has, reads if it wants, ends
  // the connection once neither, and arms the timer for the next deadline.
  void advance() {
    if (!session_ || lingering_) return;
    const auto now = Clock::now();
    const auto next_request_deadline = session_->expire(now);
    flush();
    if (!session_) return;
    if (!writing_ && !session_->want_read() && !session_->want_write()) return finish();
    read();
    if (session_->open_streams() > 0) idle_deadline_ = kNever;
    else if (idle_deadline_ == kNever) idle_deadline_ = now + shared_->options.idle_timeout;
    arm(std::min({next_request_deadline, idle_deadline_, write_deadline_, goaway_deadline_}));
  }

  void read() {
    if (reading_ || !session_ || (!lingering_ && !session_->want_read())) return;
    reading_ = true;
    socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) { self->on_readable(ec); });
  }

  void on_readable(error_code ec) {
    reading_ = false;
    if (ec || !session_) return close();
    // One buffer per loop, not per connection: nghttp2 keeps what it needs.
    thread_local std::array<char, kReadSize> buffer;
    size_t n = socket_.read_some(net::buffer(buffer), ec);
    if (ec == net::error::would_block) return read();
    if (ec) return close();  // the peer has gone
    if (lingering_) return read();
    if (!session_->receive({buffer.data(), n})) return close();
    advance();
  }

  void flush() {
    if (writing_ || !session_) return;
    out_.clear();
    if (!session_->send(out_, kWriteBatch)) return close();
    if (out_.empty()) {
      out_.shrink_to_fit();  // idle connections keep no buffer
      return;
    }
    const size_t answers = session_->take_answers();
    writing_ = true;
    write_deadline_ = Clock::now() + shared_->options.idle_timeout;
    net::async_write(socket_, net::buffer(out_),
                     [self = shared_from_this(), answers](error_code e, size_t) { self->on_write(e, answers); });
  }

  void on_write(error_code ec, size_t answers) {
    writing_ = false;
    write_deadline_ = kNever;
    shared_->in_flight.fetch_sub(int(answers));
    if (ec) return close();
    advance();
  }

  // Done: stop sending, and read what the client still sends for a while.
  void finish() {
    lingering_ = true;
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    linger_deadline_ = Clock::now() + kLingerTime;
    arm(linger_deadline_);
    read();
  }

  void close() {
    if (!session_) return;
    session_.reset();  // cancels streamed bodies; their requests are over
    timer_.cancel();
    error_code ignored;
    socket_.close(ignored);
  }

  // The timer only ever moves earlier; when it fires early, advance() arms it again.
  void arm(Clock::time_point deadline) {
    if (deadline >= armed_) return;
    armed_ = deadline;
    timer_.expires_at(deadline);
    timer_.async_wait([self = shared_from_this(), generation = ++timer_generation_](error_code ec) {
      self->on_timer(ec, generation);
    });
  }

  void on_timer(error_code ec, uint64_t generation) {
    if (ec || generation != timer_generation_ || !session_) return;
    armed_ = kNever;
    const auto now = Clock::now();
    if (lingering_) return now < linger_deadline_ ? arm(linger_deadline_) : close();
    if (write_deadline_ <= now) return close();  // the client does not read
    if (idle_deadline_ <= now || goaway_deadline_ <= now) {
      session_->go_away();
      idle_deadline_ = goaway_deadline_ = kNever;
    }
    advance();
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  std::shared_ptr<HttpServer::Shared> shared_;
  std::optional<Http2Session> session_;  // until close(); counts in shared_->in_flight
  std::string out_;                      // being written
  uint64_t drain_hook_ = 0;
  bool reading_ = false;
  bool writing_ = false;
  bool lingering_ = false;
  bool draining_ = false;
  Clock::time_point idle_deadline_ = kNever;    // no open stream since
  Clock::time_point write_deadline_ = kNever;   // for the write in progress
  Clock::time_point goaway_deadline_ = kNever;  // for the last GOAWAY of a drain
  Clock::time_point linger_deadline_ = kNever;
  Clock::time_point armed_ = kNever;  // of the pending timer wait
  uint64_t timer_generation_ = 0;
};

}  // namespace

void serve_http2(tcp::socket socket, std::string_view received, std::shared_ptr<HttpServer::Shared> shared) {
  std::make_shared<Http2Connection>(std::move(socket), std::move(shared))->start(received);
}

}  // namespace sluice::server
