// HttpServer over HTTP/2 with prior knowledge (h2c), driven by real HTTP/2
// clients: libnghttp2's client API over a blocking socket in the test thread,
// and curl --http2-prior-knowledge. Streams at once and answered out of order,
// streamed bodies (DATA frames as written; chunks over HTTP/1.1 on the same
// port), cancellation, the limits and timeouts per stream, GOAWAY at
// stop_accepting() and at the idle timeout, and bad input that ends only its
// own connection. The timeouts are short and real; the checks allow generous
// upper bounds for a loaded machine.

#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sidecar/server/http_server.h"

namespace sluice::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int connect_to(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(size_t(n));
  }
  return true;
}

// Reads until the peer closes or the timeout passes; true if it closed.
bool read_until_closed(int fd, std::string& in, Clock::duration timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, int(left)) <= 0) return false;
    char buf[16384];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return true;
    in.append(buf, size_t(n));
  }
}

// An HTTP/2 client on nghttp2: requests are submitted, then run_until() moves
// bytes both ways until a condition holds.
class H2Client {
 public:
  struct Reply {
    int status = 0;
    Headers headers;
    std::string body;
    std::vector<std::string> frames;  // DATA payloads, one per frame
    bool ended = false;               // END_STREAM came
    bool closed = false;
    uint32_t error = 0;  // of a RST_STREAM

    std::string header(std::string_view name) const {
      for (const auto& [k, v] : headers)
        if (k == name) return v;
      return "";
    }
  };

  explicit H2Client(uint16_t port) : fd_(connect_to(port)) {
    nghttp2_session_callbacks* cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
    nghttp2_option* option;
    nghttp2_option_new(&option);
    nghttp2_option_set_max_send_header_block_length(option, 1 << 20);
    nghttp2_session_client_new2(&session_, cb, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(cb);
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0);
  }
  ~H2Client() {
    nghttp2_session_del(session_);
    if (fd_ >= 0) ::close(fd_);
  }
  H2Client(const H2Client&) = delete;
  H2Client& operator=(const H2Client&) = delete;

  bool connected() const { return fd_ >= 0; }

  // A request whose body is sent whole; with `stall`, its body never ends.
  int32_t request(const std::string& method, const std::string& path, std::string body = "", Headers extra = {},
                  bool stall = false) {
    Headers fields = {{":method", method}, {":scheme", "http"}, {":authority", "test.local"}, {":path", path}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    std::vector<nghttp2_nv> nva;
    for (auto& [k, v] : fields)
      nva.push_back({reinterpret_cast<uint8_t*>(k.data()), reinterpret_cast<uint8_t*>(v.data()), k.size(), v.size(),
                     NGHTTP2_NV_FLAG_NONE});
    nghttp2_data_provider provider{};
    provider.read_callback = read_upload;
    const bool with_body = !body.empty() || stall;
    int32_t id =
        nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(), with_body ? &provider : nullptr, nullptr);
    uploads_[id] = {std::move(body), 0, stall};
    replies_[id];
    return id;
  }

  void reset(int32_t id) { nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL); }

  // Moves bytes until done() or the timeout; false at the timeout, or if the
  // connection closed first.
  bool run_until(const std::function<bool()>& done, Clock::duration timeout = 5s) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      flush();
      if (done()) return true;
      if (closed_ || Clock::now() > deadline) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 10) <= 0) continue;
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0 || nghttp2_session_mem_recv(session_, reinterpret_cast<uint8_t*>(buf), size_t(n)) < 0) closed_ = true;
    }
  }
  bool wait(int32_t id, Clock::duration timeout = 5s) {
    return run_until([&] { return replies_[id].closed; }, timeout);
  }
  // Waits for the server to close the connection.
  bool wait_closed(Clock::duration timeout) {
    run_until([] { return false; }, timeout);
    return closed_;
  }

  Reply& reply(int32_t id) { return replies_[id]; }
  const std::vector<int32_t>& completed() const { return completed_; }
  bool goaway() const { return goaway_; }
  uint32_t goaway_error() const { return goaway_error_; }

 private:
  struct Upload {
    std::string body;
    size_t sent = 0;
    bool stall = false;
  };

  static H2Client& self(void* user) { return *static_cast<H2Client*>(user); }

  void flush() {
    const uint8_t* data;
    ssize_t n;
    while (!closed_ && (n = nghttp2_session_mem_send(session_, &data)) > 0)
      if (!send_all(fd_, {reinterpret_cast<const char*>(data), size_t(n)})) closed_ = true;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t name_size,
                       const uint8_t* value, size_t value_size, uint8_t, void* user) {
    Reply& r = self(user).replies_[frame->hd.stream_id];
    std::string n(reinterpret_cast<const char*>(name), name_size), v(reinterpret_cast<const char*>(value), value_size);
    if (n == ":status") r.status = std::stoi(v);
    else r.headers.emplace_back(n, v);
    return 0;
  }
  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t size, void* user) {
    self(user).partial_[id].append(reinterpret_cast<const char*>(data), size);
    self(user).replies_[id].body.append(reinterpret_cast<const char*>(data), size);
    return 0;
  }
  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    H2Client& c = self(user);
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      c.goaway_ = true;
      c.goaway_error_ = frame->goaway.error_code;
      return 0;
    }
    Reply& r = c.replies_[frame->hd.stream_id];
    if (frame->hd.type == NGHTTP2_DATA && frame->hd.length > 0)
      r.frames.push_back(std::exchange(c.partial_[frame->hd.stream_id], {}));
    if ((frame->hd.type == NGHTTP2_DATA || frame->hd.type == NGHTTP2_HEADERS) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
      r.ended = true;
    return 0;
  }
  static int on_stream_close(nghttp2_session*, int32_t id, uint32_t error, void* user) {
    Reply& r = self(user).replies_[id];
    r.closed = true;
    r.error = error;
    self(user).completed_.push_back(id);
    return 0;
  }
  static ssize_t read_upload(nghttp2_session*, int32_t id, uint8_t* buf, size_t size, uint32_t* flags,
                             nghttp2_data_source*, void* user) {
    Upload& u = self(user).uploads_[id];
    size_t n = std::min(size, u.body.size() - u.sent);
    std::memcpy(buf, u.body.data() + u.sent, n);
    u.sent += n;
    if (u.sent < u.body.size()) return ssize_t(n);
    if (u.stall) return n > 0 ? ssize_t(n) : ssize_t(NGHTTP2_ERR_DEFERRED);
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    return ssize_t(n);
  }

  int fd_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, Reply> replies_;
  std::map<int32_t, Upload> uploads_;
  std::map<int32_t, std::string> partial_;
  std::vector<int32_t> completed_;
  bool closed_ = false;
  bool goaway_ = false;
  uint32_t goaway_error_ = 0;
};

HttpServerOptions fast_options() {
  HttpServerOptions o;
  o.bind = "127.0.0.1";
  o.name = "test";
  o.body_limit = 1 << 20;
  o.header_timeout = 300ms;
  o.body_timeout = 500ms;
  o.idle_timeout = 800ms;
  return o;
}

// Routes:
//   anything          "<method> <path>?<query> <x-test> <host> h<major> <body>", at once
//   ?ms=N             the same, N ms later from another thread
//   /big?n=N          N bytes
//   /stream           "one", "two", "three" streamed from another thread, each
//                     once the last has gone to the socket, then the end
//   /hold             "first" streamed, then the writer is held open (held_)
class Http2ServerTest : public ::testing::Test {
 protected:
  ~Http2ServerTest() override {
    {
      std::lock_guard lock(mu_);
      for (auto& t : threads_) t.join();
    }
    loops_.stop();
    loops_.join();
    server_.reset();
  }

  uint16_t start(HttpServerOptions options = fast_options()) {
    server_ = std::make_unique<HttpServer>(loops_, std::move(options),
                                           [this](HttpRequest&& req, Responder respond) { handle(req, respond); });
    std::string error;
    EXPECT_TRUE(server_->listen(&error)) << error;
    loops_.start();
    return server_->port();
  }

  void handle(HttpRequest& req, const Responder& respond) {
    handled_.fetch_add(1);
    if (req.path == "/big") return respond(text_response(200, std::string(std::stoul(req.query.substr(2)), 'b')));
    if (req.path == "/stream") return respond(streamed([this](std::shared_ptr<BodyWriter> w) { write_three(w); }));
    if (req.path == "/hold") {
      return respond(streamed([this](std::shared_ptr<BodyWriter> w) {
        w->on_cancel([this] { cancelled_.fetch_add(1); });
        w->write("first");
        std::lock_guard lock(mu_);
        held_ = std::move(w);
      }));
    }
    auto r = text_response(200, req.method + " " + req.path + "?" + req.query + " " +
                                    std::string(req.header("x-test")) + " " + std::string(req.header("host")) + " h" +
                                    std::to_string(req.http_major) + " " + req.body);
    r.headers = {{"X-Amz-Request-Id", "r-1"}};
    if (req.query.rfind("ms=", 0) == 0) {
      auto delay = std::chrono::milliseconds(std::stoi(req.query.substr(3)));
      return later([delay, respond, r] {
        std::this_thread::sleep_for(delay);
        respond(r);
      });
    }
    respond(std::move(r));
  }

  static HttpResponse streamed(std::function<void(std::shared_ptr<BodyWriter>)> fn) {
    HttpResponse r;
    r.content_type = "application/vnd.amazon.eventstream";
    r.stream = std::move(fn);
    return r;
  }

  void write_three(std::shared_ptr<BodyWriter> w) {
    later([w] {
      for (const char* part : {"one", "two", "three"}) {
        while (w->pending() > 0) std::this_thread::sleep_for(1ms);
        std::this_thread::sleep_for(20ms);
        w->write(part);
      }
      w->close();
    });
  }

  void later(std::function<void()> fn) {
    std::lock_guard lock(mu_);
    threads_.emplace_back(std::move(fn));
  }

  std::shared_ptr<BodyWriter> held() {
    std::lock_guard lock(mu_);
    return held_;
  }

  template <class Predicate>
  static bool eventually(Predicate done, Clock::duration timeout = 3s) {
    auto deadline = Clock::now() + timeout;
    while (!done()) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  IoLoops loops_{2};
  std::unique_ptr<HttpServer> server_;
  std::atomic<int> handled_{0};
  std::atomic<int> cancelled_{0};
  std::mutex mu_;
  std::vector<std::thread> threads_;
  std::shared_ptr<BodyWriter> held_;
};

TEST_F(Http2ServerTest, ServesGetAndPostOverH2c) {
  H2Client c(start());
  ASSERT_TRUE(c.connected());
  int32_t get = c.request("GET", "/a/b?x=1&y=2", "", {{"x-test", "one"}});
  ASSERT_TRUE(c.wait(get));
  EXPECT_EQ(c.reply(get).status, 200);
  EXPECT_EQ(c.reply(get).body, "GET /a/b?x=1&y=2 one test.local h2 ");
  EXPECT_EQ(c.reply(get).header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(c.reply(get).header("content-length"), std::to_string(c.reply(get).body.size()));
  EXPECT_EQ(c.reply(get).header("x-amz-request-id"), "r-1");  // lower-cased for HTTP/2
  EXPECT_EQ(c.reply(get).error, 0u);

  int32_t post = c.request("POST", "/", "hello", {{"content-type", "application/x-amz-json-1.0"}});
  ASSERT_TRUE(c.wait(post));
  EXPECT_EQ(c.reply(post).status, 200);
  EXPECT_EQ(c.reply(post).body, "POST /?  test.local h2 hello");
  EXPECT_EQ(server_->connections(), 1u);
  EXPECT_TRUE(eventually([&] { return server_->in_flight() == 0; }));
}

TEST_F(Http2ServerTest, AnswersConcurrentStreamsOnOneConnectionOutOfOrder) {
  H2Client c(start());
  int32_t slow = c.request("GET", "/1?ms=600");
  int32_t middle = c.request("GET", "/2?ms=300");
  int32_t fast = c.request("POST", "/3?ms=100", "x");
  ASSERT_TRUE(c.run_until([&] { return handled_.load() == 3; }));
  EXPECT_EQ(server_->in_flight(), 3);
  EXPECT_EQ(server_->connections(), 1u);
  ASSERT_TRUE(c.wait(slow));
  EXPECT_EQ(c.completed(), (std::vector<int32_t>{fast, middle, slow}));
  EXPECT_EQ(c.reply(slow).body, "GET /1?ms=600  test.local h2 ");
  EXPECT_EQ(c.reply(middle).body, "GET /2?ms=300  test.local h2 ");
  EXPECT_EQ(c.reply(fast).body, "POST /3?ms=100  test.local h2 x");
  EXPECT_TRUE(eventually([&] { return server_->in_flight() == 0; }));
}

TEST_F(Http2ServerTest, StreamsAResponseAsOneDataFramePerWrite) {
  H2Client c(start());
  int32_t id = c.request("POST", "/stream", "{}");
  ASSERT_TRUE(c.wait(id));
  const auto& r = c.reply(id);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/vnd.amazon.eventstream");
  EXPECT_EQ(r.header("content-length"), "");
  EXPECT_EQ(r.frames, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_TRUE(r.ended);
  EXPECT_EQ(r.error, 0u);
  EXPECT_TRUE(eventually([&] { return server_->in_flight() == 0; }));
}

TEST_F(Http2ServerTest, AClientResetCancelsTheStreamOnce) {
  H2Client c(start());
  int32_t id = c.request("GET", "/hold");
  ASSERT_TRUE(c.run_until([&] { return !c.reply(id).frames.empty(); }));
  EXPECT_EQ(c.reply(id).frames[0], "first");
  EXPECT_EQ(server_->in_flight(), 1);  // a streaming answer is in flight until it ends
  c.reset(id);
  ASSERT_TRUE(c.run_until([&] { return cancelled_.load() == 1; }));
  EXPECT_FALSE(held()->write("more"));
  held()->close();
  EXPECT_TRUE(eventually([&] { return server_->in_flight() == 0; }));
  EXPECT_EQ(cancelled_.load(), 1);
  int32_t again = c.request("GET", "/again");  // the connection goes on
  ASSERT_TRUE(c.wait(again));
  EXPECT_EQ(c.reply(again).status, 200);
}

TEST_F(Http2ServerTest, ClosingTheConnectionCancelsItsStreams) {
  uint16_t port = start();
  {
    H2Client c(port);
    int32_t id = c.request("GET", "/hold");
    ASSERT_TRUE(c.run_until([&] { return !c.reply(id).frames.empty(); }));
  }
  ASSERT_TRUE(eventually([&] { return cancelled_.load() == 1; }));
  EXPECT_FALSE(held()->write("more"));
  EXPECT_TRUE(eventually([&] { return server_->in_flight() == 0 && server_->connections() == 0; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(cancelled_.load(), 1);
}

TEST_F(Http2ServerTest, AnswersLaterThanTheConnectionAreDropped) {
  uint16_t port = start();
  {
    H2Client c(port);
    c.request("GET", "/late?ms=300");
    ASSERT_TRUE(c.run_until([&] { return handled_.load() == 1; }));
  }
  EXPECT_TRUE(eventually([&] { return server_->connections() == 0 && server_->in_flight() == 0; }));
  std::this_thread::sleep_for(400ms);  // the answer comes, and goes nowhere
  H2Client c(port);
  int32_t id = c.request("GET", "/next");
  ASSERT_TRUE(c.wait(id));
  EXPECT_EQ(c.reply(id).status, 200);
}

TEST_F(Http2ServerTest, RefusesABodyOverTheLimitAndServesTheNextStream) {
  H2Client c(start());
  int32_t big = c.request("POST", "/", std::string((1 << 20) + 1000, 'x'));
  ASSERT_TRUE(c.wait(big));
  EXPECT_EQ(c.reply(big).status, 413);
  EXPECT_EQ(c.reply(big).body, "request body too large\n");
  int32_t declared = c.request("POST", "/", "", {{"content-length", "2000000"}}, /*stall=*/true);
  ASSERT_TRUE(c.wait(declared));
  EXPECT_EQ(c.reply(declared).status, 413);  // from the header, before any of the body
  EXPECT_EQ(handled_.load(), 0);
  int32_t ok = c.request("POST", "/", std::string(900 << 10, 'y'));
  ASSERT_TRUE(c.wait(ok));
  EXPECT_EQ(c.reply(ok).status, 200);
  EXPECT_EQ(c.reply(ok).body.size(), std::string("POST /?  test.local h2 ").size() + (900 << 10));
}

TEST_F(Http2ServerTest, RefusesAHeaderListOrTargetOverTheLimit) {
  auto options = fast_options();
  options.header_limit = 8 << 10;
  options.target_limit = 1 << 10;
  H2Client c(start(options));
  const std::string value(3 << 10, 'v');
  int32_t headers = c.request("GET", "/", "", {{"x-a", value}, {"x-b", value}, {"x-c", value}});
  int32_t target = c.request("GET", "/" + std::string(2 << 10, 't'));
  ASSERT_TRUE(c.wait(headers));
  ASSERT_TRUE(c.wait(target));
  EXPECT_EQ(c.reply(headers).status, 431);
  EXPECT_EQ(c.reply(target).status, 414);
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(Http2ServerTest, AnswersARequestWhoseBodyStalls408) {
  H2Client c(start());
  auto t0 = Clock::now();
  int32_t id = c.request("POST", "/", "part", {}, /*stall=*/true);
  ASSERT_TRUE(c.wait(id));
  EXPECT_EQ(c.reply(id).status, 408);
  EXPECT_GE(seconds_since(t0), 0.45);  // the body timeout (500 ms)
  EXPECT_LT(seconds_since(t0), 3.0);
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(Http2ServerTest, SendsALargeAnswerWithinTheClientsWindow) {
  H2Client c(start());  // nghttp2's default 64 KiB window, opened as it reads
  int32_t id = c.request("GET", "/big?n=5000000");
  ASSERT_TRUE(c.wait(id, 10s));
  EXPECT_EQ(c.reply(id).status, 200);
  EXPECT_EQ(c.reply(id).body, std::string(5000000, 'b'));
}

TEST_F(Http2ServerTest, ServesManyStreamsAtOnce) {
  H2Client c(start());
  std::vector<int32_t> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(c.request("POST", "/n?ms=" + std::to_string(50 - i), std::to_string(i)));
  ASSERT_TRUE(c.run_until([&] { return c.completed().size() == ids.size(); }));
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(c.reply(ids[i]).status, 200);
    EXPECT_EQ(c.reply(ids[i]).body, "POST /n?ms=" + std::to_string(50 - i) + "  test.local h2 " + std::to_string(i));
  }
}

TEST_F(Http2ServerTest, StopAcceptingSendsGoawayAndFinishesOpenStreams) {
  uint16_t port = start();
  H2Client c(port);
  int32_t id = c.request("GET", "/poll?ms=600");
  ASSERT_TRUE(c.run_until([&] { return handled_.load() == 1; }));
  server_->stop_accepting();
  ASSERT_TRUE(c.run_until([&] { return c.goaway(); }));
  EXPECT_EQ(c.goaway_error(), uint32_t(NGHTTP2_NO_ERROR));
  EXPECT_FALSE(c.reply(id).closed);
  ASSERT_TRUE(c.wait(id));
  EXPECT_EQ(c.reply(id).status, 200);
  EXPECT_TRUE(c.wait_closed(5s));
  EXPECT_EQ(server_->in_flight(), 0);
  EXPECT_TRUE(eventually([&] { return server_->connections() == 0; }));
}

TEST_F(Http2ServerTest, ClosesAConnectionWithNoStreamAfterTheIdleTimeout) {
  H2Client c(start());
  int32_t id = c.request("GET", "/");
  ASSERT_TRUE(c.wait(id));
  auto t0 = Clock::now();
  ASSERT_TRUE(c.wait_closed(5s));
  EXPECT_GE(seconds_since(t0), 0.75);
  EXPECT_LT(seconds_since(t0), 3.0);
  EXPECT_TRUE(c.goaway());
  EXPECT_TRUE(eventually([&] { return server_->connections() == 0; }));
}

TEST_F(Http2ServerTest, ClosesAPartialPrefaceAfterTheHeaderTimeout) {
  int fd = connect_to(start());
  ASSERT_TRUE(send_all(fd, kPreface.substr(0, 10)));
  auto t0 = Clock::now();
  std::string in;
  EXPECT_TRUE(read_until_closed(fd, in, 5s));
  EXPECT_GE(seconds_since(t0), 0.25);
  EXPECT_LT(seconds_since(t0), 2.5);
  EXPECT_EQ(in, "");
  ::close(fd);
}

TEST_F(Http2ServerTest, GarbageAfterThePrefaceClosesOnlyThatConnection) {
  uint16_t port = start();
  H2Client good(port);
  int32_t first = good.request("GET", "/first");
  ASSERT_TRUE(good.wait(first));

  int fd = connect_to(port);
  ASSERT_TRUE(send_all(fd, std::string(kPreface) + std::string(64, '\xff') + "garbage"));
  std::string in;
  EXPECT_TRUE(read_until_closed(fd, in, 5s));
  ::close(fd);
  // The server's SETTINGS, then GOAWAY (type 7) with an error.
  EXPECT_NE(in.find(std::string("\x07\x00\x00\x00\x00\x00", 6)), std::string::npos);

  int32_t second = good.request("POST", "/second", "still here");
  ASSERT_TRUE(good.wait(second));
  EXPECT_EQ(good.reply(second).body, "POST /second?  test.local h2 still here");
  EXPECT_TRUE(eventually([&] { return server_->connections() == 1; }));
}

TEST_F(Http2ServerTest, ServesHttp11OnTheSamePortWithAChunkedStream) {
  uint16_t port = start();
  int fd = connect_to(port);
  ASSERT_TRUE(send_all(fd, "GET /plain HTTP/1.1\r\nHost: h\r\n\r\nGET /stream HTTP/1.1\r\nHost: h\r\n\r\n"));
  std::string in;
  ASSERT_TRUE(read_until_closed(fd, in, 5s));  // the connection closes after a stream
  ::close(fd);
  auto second = in.find("HTTP/1.1 200 OK", 1);
  ASSERT_NE(second, std::string::npos) << in;
  EXPECT_NE(in.substr(0, second).find("GET /plain?  h h1 "), std::string::npos) << in;
  std::string stream = in.substr(second);
  EXPECT_NE(stream.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << stream;
  EXPECT_NE(stream.find("Connection: close\r\n"), std::string::npos) << stream;
  EXPECT_NE(stream.find("Content-Type: application/vnd.amazon.eventstream\r\n"), std::string::npos) << stream;
  auto body = stream.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos);
  EXPECT_EQ(stream.substr(body + 4), "3\r\none\r\n3\r\ntwo\r\n5\r\nthree\r\n0\r\n\r\n");
  EXPECT_TRUE(eventually([&] { return server_->in_flight() == 0; }));
}

TEST_F(Http2ServerTest, AnHttp11ClientThatGoesAwayCancelsItsStream) {
  uint16_t port = start();
  int fd = connect_to(port);
  ASSERT_TRUE(send_all(fd, "GET /hold HTTP/1.1\r\nHost: h\r\n\r\n"));
  std::string in;
  EXPECT_FALSE(read_until_closed(fd, in, 300ms));
  EXPECT_NE(in.find("5\r\nfirst\r\n"), std::string::npos) << in;
  ::close(fd);
  ASSERT_TRUE(eventually([&] { return cancelled_.load() == 1; }));
  EXPECT_FALSE(held()->write("more"));
  EXPECT_TRUE(eventually([&] { return server_->in_flight() == 0 && server_->connections() == 0; }));
}

// curl speaks h2c with prior knowledge through its own nghttp2.
std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf;
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
  ::pclose(p);
  return out;
}

TEST_F(Http2ServerTest, CurlWithPriorKnowledge) {
  if (run("command -v curl").empty()) GTEST_SKIP() << "no curl";
  const std::string url = "http://127.0.0.1:" + std::to_string(start());
  std::string out = run("curl -s -i --http2-prior-knowledge -H 'X-Test: c' -d 'hi there' '" + url + "/x?y=1'");
  EXPECT_EQ(out.rfind("HTTP/2 200", 0), 0u) << out;
  EXPECT_NE(out.find("POST /x?y=1 c 127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find(" h2 hi there"), std::string::npos) << out;

  out = run("curl -s -N --http2-prior-knowledge '" + url + "/stream'");
  EXPECT_EQ(out, "onetwothree");
  out = run("curl -s -N --http1.1 -i '" + url + "/stream'");
  EXPECT_NE(out.find("Transfer-Encoding: chunked"), std::string::npos) << out;
  EXPECT_NE(out.find("\r\n\r\nonetwothree"), std::string::npos) << out;
}

}  // namespace
}  // namespace sluice::server
