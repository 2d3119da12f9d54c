// AsioHttpClient over real loopback sockets: requests and replies through the
// project's HttpServer, and misbehaving servers (never answering, closing kept-
// alive connections, cutting a response short) from a raw POSIX server; HTTPS
// against a TLS server with a certificate made here. Timeouts are short and real;
// the checks allow generous upper bounds for a loaded machine.

#include "sidecar/server/http_client.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sidecar/server/http_server.h"
#include "sidecar/server/io_loops.h"

namespace sluice::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

template <class Predicate>
bool eventually(Predicate done, Clock::duration timeout = 5s) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

std::string header(const HttpClientReply& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

// The client's event loop: an io_context run by one thread, as the sidecar lends one of its IoLoops.
class Loop {
 public:
  Loop() : guard_(net::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~Loop() {
    guard_.reset();  // run() returns once the client's last handlers are done
    thread_.join();
  }
  net::io_context& io() { return io_; }
  std::thread::id id() const { return thread_.get_id(); }

 private:
  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> guard_;
  std::thread thread_;
};

// Replies to requests sent through it, each callback counted, wherever it runs.
class Replies {
 public:
  explicit Replies(HttpClient& client) : client_(client), state_(std::make_shared<State>()) {}

  // Sends; returns the request's index.
  size_t send(HttpClientRequest request) {
    size_t i;
    {
      std::lock_guard lock(state_->mu);
      i = state_->replies.size();
      state_->replies.emplace_back();
      state_->calls.push_back(0);
    }
    state_->sending = std::this_thread::get_id();
    client_.send(std::move(request), [state = state_, i](HttpClientReply r) {
      std::lock_guard lock(state->mu);
      state->replies[i] = std::move(r);
      state->inside_send |= state->sending == std::this_thread::get_id();
      state->threads.push_back(std::this_thread::get_id());
      if (state->calls[i]++ == 0) ++state->answered;
      state->cv.notify_all();
    });
    state_->sending = std::thread::id();
    return i;
  }

  // Waits for `n` requests (all of them by default) to be answered.
  bool wait(size_t n = SIZE_MAX, Clock::duration timeout = 10s) {
    std::unique_lock lock(state_->mu);
    return state_->cv.wait_for(lock, timeout, [&] { return state_->answered >= std::min(n, state_->replies.size()); });
  }
  bool answered(size_t i) {
    std::lock_guard lock(state_->mu);
    return state_->calls[i] > 0;
  }
  HttpClientReply reply(size_t i) {
    std::lock_guard lock(state_->mu);
    return state_->replies[i];
  }
  // Every callback ran once, on `thread`, never inside send().
  void expect_each_answered_once_on(std::thread::id thread) {
    std::lock_guard lock(state_->mu);
    for (size_t i = 0; i < state_->calls.size(); ++i) EXPECT_EQ(state_->calls[i], 1) << "request " << i;
    for (auto t : state_->threads) EXPECT_EQ(t, thread);
    EXPECT_FALSE(state_->inside_send);
  }

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<HttpClientReply> replies;
    std::vector<int> calls;
    std::vector<std::thread::id> threads;
    size_t answered = 0;
    std::atomic<std::thread::id> sending{};
    bool inside_send = false;
  };
  HttpClient& client_;
  std::shared_ptr<State> state_;
};

HttpClientRequest request(std::string url, std::string method = "GET", std::string body = "") {
  HttpClientRequest r;
  r.url = std::move(url);
  r.method = std::move(method);
  r.body = std::move(body);
  r.timeout = 5s;
  return r;
}

// A loopback server whose connections each run a script on their own thread:
// blocking I/O with deadlines, for servers that misbehave. A connection is shut
// down when its script returns; the destructor ends every script's waits.
class RawServer {
 public:
  class Connection {
   public:
    Connection(int fd, int index, const std::atomic<bool>& stopping) : fd_(fd), index_(index), stopping_(stopping) {}
    int fd() const { return fd_; }
    int index() const { return index_; }  // 0 for the first connection accepted

    // One request: the header section and a Content-Length body. False if the
    // connection closed or the server stops first.
    bool read_request(std::string* out = nullptr) {
      size_t end;
      while ((end = in_.find("\r\n\r\n")) == std::string::npos)
        if (!fill()) return false;
      size_t length = 0;
      auto at = lower(in_.substr(0, end)).find("\r\ncontent-length:");
      if (at != std::string::npos) length = std::stoul(in_.substr(at + 17));
      while (in_.size() < end + 4 + length)
        if (!fill()) return false;
      if (out) *out = in_.substr(0, end + 4 + length);
      in_.erase(0, end + 4 + length);
      return true;
    }
    bool write(std::string_view data) {
      while (!data.empty()) {
        ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(size_t(n));
      }
      return true;
    }
    // Until the client closes or the server stops.
    void wait_closed() {
      while (fill()) {
      }
    }

   private:
    static std::string lower(std::string s) {
      for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
      return s;
    }
    bool fill() {
      while (!stopping_) {
        pollfd p{fd_, POLLIN, 0};
        int ready = ::poll(&p, 1, 20);
        if (ready == 0) continue;
        if (ready < 0 && errno == EINTR) continue;
        char buf[16384];
        ssize_t n = ready > 0 ? ::recv(fd_, buf, sizeof buf, 0) : -1;
        if (n <= 0) return false;
        in_.append(buf, size_t(n));
        return true;
      }
      return false;
    }

    int fd_;
    int index_;
    const std::atomic<bool>& stopping_;
    std::string in_;
  };
  using Script = std::function<void(Connection&)>;

  explicit RawServer(Script script) : script_(std::move(script)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listener_, 256), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~RawServer() {
    stopping_ = true;
    acceptor_.join();
    std::lock_guard lock(mu_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    for (auto& t : threads_) t.join();
    for (int fd : fds_) ::close(fd);
    ::close(listener_);
  }

  uint16_t port() const { return port_; }
  std::string url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int accepted() const { return accepted_.load(); }

 private:
  void accept_loop() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard lock(mu_);
      fds_.push_back(fd);
      int index = accepted_.fetch_add(1);
      threads_.emplace_back([this, fd, index] {
        Connection c(fd, index, stopping_);
        script_(c);
        ::shutdown(fd, SHUT_RDWR);
      });
    }
  }

  Script script_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> fds_;
  std::vector<std::thread> threads_;
};

std::string ok_response(std::string_view body, std::string_view extra = "") {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + std::string(extra) + "\r\n" +
         std::string(body);
}

// Serves every request on the connection with 200 "ok".
void serve_ok(RawServer::Connection& c) {
  while (c.read_request())
    if (!c.write(ok_response("ok"))) return;
}

class HttpClientTest : public ::testing::Test {
 protected:
  ~HttpClientTest() override {
    client_.reset();
    loops_.stop();
    loops_.join();
    server_.reset();
  }

  AsioHttpClient& client(HttpClientOptions options = {}) {
    client_ = std::make_unique<AsioHttpClient>(loop_.io(), std::move(options));
    return *client_;
  }

  // The project's server on 127.0.0.1 (or `bind`); the handler defaults to an echo.
  uint16_t start_server(HttpHandler handler = {}, std::string bind = "127.0.0.1") {
    if (!handler) {
      handler = [this](HttpRequest&& req, Responder respond) {
        {
          std::lock_guard lock(mu_);
          seen_.push_back(req);
        }
        HttpResponse r;
        r.status = req.path == "/status/500" ? 500 : 200;
        r.headers.emplace_back("X-Echo-Method", req.method);
        r.body = req.path == "/status/500" ? "boom" : req.body;
        if (req.path == "/big") r.body = std::string(std::stoul(req.query), 'x');
        respond(std::move(r));
      };
    }
    HttpServerOptions o;
    o.bind = bind;
    o.name = "test";
    server_ = std::make_unique<HttpServer>(loops_, o, std::move(handler));
    std::string error;
    if (!server_->listen(&error)) return 0;
    loops_.start();
    return server_->port();
  }

  std::vector<HttpRequest> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

  Loop loop_;
  IoLoops loops_{2};
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<AsioHttpClient> client_;
  std::mutex mu_;
  std::vector<HttpRequest> seen_;
};

TEST(ParseHttpUrlTest, TakesApartHttpAndHttpsUrlsWithTheirDefaults) {
  std::string error;
  auto u = parse_http_url("http://Example.COM", &error);
  ASSERT_TRUE(u) << error;
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "example.com");
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->target, "/");
  EXPECT_EQ(u->host_header, "example.com");

  u = parse_http_url("HTTPS://example.com?x=1#frag", &error);
  ASSERT_TRUE(u) << error;
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/?x=1");

  u = parse_http_url("https://example.com:443/a/b?c=d&e", &error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->target, "/a/b?c=d&e");
  EXPECT_EQ(u->host_header, "example.com");  // the default port is not repeated

  u = parse_http_url("http://[::1]:8080/p", &error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->host_header, "[::1]:8080");

  u = parse_http_url("http://10.0.0.1:/x", &error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->port, 80);

  u = parse_http_url("https://user:p%40ss@hooks.example.com/sns", &error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "hooks.example.com");
  EXPECT_EQ(u->authorization, "Basic dXNlcjpwQHNz");  // user:p@ss
}

TEST(ParseHttpUrlTest, RefusesMalformedUrls) {
  for (const char* url :
       {"", "example.com/x", "ftp://example.com/", "http://", "http:///path", "http://:80/", "http://host:99999/",
        "http://host:0/", "http://host:8o/", "http://[::1/", "http://[::1]x/", "http://[zz::1]/", "http://ho st/",
        "http://host/pa th", "http://host/\x01", "http://u:%zz@host/"}) {
    std::string error;
    EXPECT_FALSE(parse_http_url(url, &error)) << url;
    EXPECT_EQ(error.rfind("invalid URL", 0), 0u) << url << ": " << error;
  }
}

TEST_F(HttpClientTest, PostsHeadersAndBodyIntactAndReturnsStatusHeadersAndBody) {
  uint16_t port = start_server();
  Replies replies(client());
  auto r =
      request("http://127.0.0.1:" + std::to_string(port) + "/topic/hook?a=1&b=two", "POST", "{\"Message\":\"hi\"}");
  r.headers = {{"Content-Type", "text/plain; charset=UTF-8"}, {"x-amz-sns-message-type", "Notification"}};
  replies.send(r);
  ASSERT_TRUE(replies.wait());
  auto reply = replies.reply(0);
  EXPECT_EQ(reply.status, 200) << reply.error;
  EXPECT_TRUE(reply.ok());
  EXPECT_EQ(reply.error, "");
  EXPECT_EQ(reply.body, "{\"Message\":\"hi\"}");
  EXPECT_EQ(header(reply, "x-echo-method"), "POST");  // names lower-cased
  EXPECT_EQ(header(reply, "content-length"), std::to_string(reply.body.size()));
  replies.expect_each_answered_once_on(loop_.id());

  auto s = seen();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].method, "POST");
  EXPECT_EQ(s[0].path, "/topic/hook");
  EXPECT_EQ(s[0].query, "a=1&b=two");
  EXPECT_EQ(s[0].body, "{\"Message\":\"hi\"}");
  EXPECT_EQ(s[0].header("host"), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(s[0].header("content-length"), "16");
  EXPECT_EQ(s[0].header("content-type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(s[0].header("x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(s[0].header("user-agent"), "Sluice");
}

TEST_F(HttpClientTest, LetsTheCallerSetUserAgentAndHost) {
  uint16_t port = start_server();
  Replies replies(client());
  auto r = request("http://127.0.0.1:" + std::to_string(port) + "/");
  r.headers = {{"User-Agent", "Amazon Simple Notification Service Agent"}, {"Host", "hooks.example.com"}};
  replies.send(r);
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(0).status, 200) << replies.reply(0).error;
  auto s = seen();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].header("user-agent"), "Amazon Simple Notification Service Agent");
  EXPECT_EQ(s[0].header("host"), "hooks.example.com");
  EXPECT_EQ(s[0].header("content-length"), "");  // a bodiless GET has none
  int user_agents = 0;
  for (const auto& [k, v] : s[0].headers) user_agents += k == "user-agent";
  EXPECT_EQ(user_agents, 1);
}

TEST_F(HttpClientTest, PassesAServerErrorStatusThrough) {
  uint16_t port = start_server();
  Replies replies(client());
  replies.send(request("http://127.0.0.1:" + std::to_string(port) + "/status/500", "POST", "x"));
  ASSERT_TRUE(replies.wait());
  auto reply = replies.reply(0);
  EXPECT_EQ(reply.status, 500);
  EXPECT_FALSE(reply.ok());
  EXPECT_EQ(reply.body, "boom");
  EXPECT_EQ(reply.error, "");
}

TEST_F(HttpClientTest, ResolvesHostNamesAndFallsBackOverTheirAddresses) {
  uint16_t port = start_server();  // 127.0.0.1 only: localhost's ::1, if first, is refused
  Replies replies(client());
  replies.send(request("http://localhost:" + std::to_string(port) + "/x", "POST", "named"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(0).status, 200) << replies.reply(0).error;
  EXPECT_EQ(replies.reply(0).body, "named");
}

TEST_F(HttpClientTest, ReachesAnIpv6Literal) {
  uint16_t port = start_server({}, "::1");
  if (port == 0) GTEST_SKIP() << "no IPv6 loopback";
  Replies replies(client());
  replies.send(request("http://[::1]:" + std::to_string(port) + "/six", "POST", "v6"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(0).status, 200) << replies.reply(0).error;
  auto s = seen();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].header("host"), "[::1]:" + std::to_string(port));
}

TEST_F(HttpClientTest, ReusesOneKeepAliveConnectionForSequentialRequests) {
  RawServer server(serve_ok);
  Replies replies(client());
  for (size_t i = 0; i < 20; ++i) {
    replies.send(request(server.url("/n"), "POST", std::to_string(i)));
    ASSERT_TRUE(replies.wait(i + 1));
    EXPECT_EQ(replies.reply(i).status, 200) << replies.reply(i).error;
  }
  EXPECT_EQ(server.accepted(), 1);
}

// The server holds every request until 8 are in, then answers them together: it
// only finishes if the client keeps 8 connections busy, and never more.
TEST_F(HttpClientTest, SpreadsRequestsOverAtMostMaxConnectionsPerHostAndAnswersAll) {
  std::mutex mu;
  std::vector<Responder> held;
  size_t peak_held = 0, peak_connections = 0;
  uint16_t port = start_server([&](HttpRequest&& req, Responder respond) {
    std::vector<Responder> release;
    {
      std::lock_guard lock(mu);
      held.push_back(std::move(respond));
      peak_held = std::max(peak_held, held.size());
      peak_connections = std::max(peak_connections, server_->connections());
      if (held.size() == 8) release.swap(held);
    }
    for (auto& r : release) r(text_response(200, "ok"));
    (void)req;
  });
  HttpClientOptions o;
  o.max_connections_per_host = 8;
  Replies replies(client(o));
  for (int i = 0; i < 200; ++i) replies.send(request("http://127.0.0.1:" + std::to_string(port) + "/", "POST", "m"));
  ASSERT_TRUE(replies.wait(SIZE_MAX, 20s));
  for (size_t i = 0; i < 200; ++i) ASSERT_EQ(replies.reply(i).status, 200) << i << ": " << replies.reply(i).error;
  replies.expect_each_answered_once_on(loop_.id());
  std::lock_guard lock(mu);
  EXPECT_EQ(peak_held, 8u);
  EXPECT_LE(peak_connections, 8u);
}

TEST_F(HttpClientTest, NeverOpensMoreThanMaxConnectionsPerHostWithSendsFromManyThreads) {
  RawServer server(serve_ok);
  HttpClientOptions o;
  o.max_connections_per_host = 8;
  Replies replies(client(o));
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t)
    senders.emplace_back([&] {
      for (int i = 0; i < 50; ++i) replies.send(request(server.url(), "POST", "m"));
    });
  for (auto& t : senders) t.join();
  ASSERT_TRUE(replies.wait(SIZE_MAX, 20s));
  for (size_t i = 0; i < 200; ++i) ASSERT_EQ(replies.reply(i).status, 200) << i << ": " << replies.reply(i).error;
  replies.expect_each_answered_once_on(loop_.id());
  EXPECT_LE(server.accepted(), 8);
  EXPECT_GE(server.accepted(), 1);
}

TEST_F(HttpClientTest, TimesOutWhenTheServerNeverAnswers) {
  RawServer server([](RawServer::Connection& c) {
    c.read_request();
    c.wait_closed();
  });
  Replies replies(client());
  auto r = request(server.url(), "POST", "hello");
  r.timeout = 200ms;
  auto t0 = Clock::now();
  replies.send(r);
  ASSERT_TRUE(replies.wait());
  double elapsed = seconds_since(t0);
  EXPECT_EQ(replies.reply(0).status, 0);
  EXPECT_EQ(replies.reply(0).error, "timed out");
  EXPECT_GE(elapsed, 0.19);
  EXPECT_LT(elapsed, 2.0);
}

// A request waiting for a connection times out on its own deadline, even behind
// one with a longer timeout.
TEST_F(HttpClientTest, TimesOutAQueuedRequestOnItsOwnDeadline) {
  std::atomic<int> requests{0};
  RawServer server([&](RawServer::Connection& c) {
    while (c.read_request()) ++requests;
    c.wait_closed();
  });
  HttpClientOptions o;
  o.max_connections_per_host = 1;
  Replies replies(client(o));
  auto slow = request(server.url(), "POST", "a");
  slow.timeout = 30s;
  replies.send(slow);
  ASSERT_TRUE(eventually([&] { return requests.load() == 1; }));
  replies.send(slow);  // queued, long timeout
  auto fast = request(server.url(), "POST", "b");
  fast.timeout = 200ms;
  auto t0 = Clock::now();
  size_t i = replies.send(fast);  // queued behind it
  ASSERT_TRUE(replies.wait(1));
  EXPECT_TRUE(replies.answered(i));
  EXPECT_EQ(replies.reply(i).error, "timed out");
  EXPECT_GE(seconds_since(t0), 0.19);
  EXPECT_LT(seconds_since(t0), 2.0);
  EXPECT_FALSE(replies.answered(0));
  EXPECT_FALSE(replies.answered(1));
}

TEST_F(HttpClientTest, AnswersStatusZeroWhenTheConnectionIsRefused) {
  uint16_t port;
  {
    RawServer closed(serve_ok);  // a port that was free a moment ago, and is closed now
    port = closed.port();
  }
  Replies replies(client());
  replies.send(request("http://127.0.0.1:" + std::to_string(port) + "/", "POST", "x"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(0).status, 0);
  EXPECT_NE(replies.reply(0).error.find("refused"), std::string::npos) << replies.reply(0).error;
  replies.expect_each_answered_once_on(loop_.id());
}

TEST_F(HttpClientTest, AnswersAMalformedUrlOrHeaderFromTheLoopNotInsideSend) {
  Replies replies(client());
  replies.send(request("http//no-scheme/"));
  replies.send(request("gopher://example.com/"));
  replies.send(request("http://example.com:123456/"));
  auto bad_header = request("http://127.0.0.1:1/");
  bad_header.headers = {{"X-Injected", "a\r\nEvil: yes"}};
  replies.send(bad_header);
  ASSERT_TRUE(replies.wait());
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(replies.reply(i).status, 0);
    EXPECT_EQ(replies.reply(i).error.rfind("invalid URL", 0), 0u) << replies.reply(i).error;
  }
  EXPECT_EQ(replies.reply(3).status, 0);
  EXPECT_NE(replies.reply(3).error.find("X-Injected"), std::string::npos) << replies.reply(3).error;
  replies.expect_each_answered_once_on(loop_.id());
}

// The server closes a kept-alive connection while the client leaves it idle: the
// client closes its end at once, and the next request goes out on a new connection.
TEST_F(HttpClientTest, ClosesAnIdleConnectionTheServerClosedAndSendsTheNextOnANewOne) {
  std::atomic<bool> client_closed{false};
  RawServer server([&](RawServer::Connection& c) {
    if (c.index() > 0) return serve_ok(c);
    if (c.read_request()) c.write(ok_response("first"));
    ::shutdown(c.fd(), SHUT_WR);  // FIN, and wait for the client's
    c.wait_closed();
    client_closed = true;
  });
  Replies replies(client());
  replies.send(request(server.url(), "POST", "1"));
  ASSERT_TRUE(replies.wait(1));
  EXPECT_EQ(replies.reply(0).body, "first");
  EXPECT_TRUE(eventually([&] { return client_closed.load(); }));
  replies.send(request(server.url(), "POST", "2"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(1).status, 200) << replies.reply(1).error;
  EXPECT_EQ(replies.reply(1).body, "ok");
  EXPECT_EQ(server.accepted(), 2);
}

// The race the retry is for: the server takes the request on a reused connection
// and closes without a byte of response (its idle timeout fired as it arrived).
TEST_F(HttpClientTest, RetriesOnceOnAFreshConnectionWhenAReusedOneClosesBeforeTheResponse) {
  std::atomic<int> second_requests{0};
  RawServer server([&](RawServer::Connection& c) {
    if (c.index() > 0) return serve_ok(c);
    if (c.read_request()) c.write(ok_response("first"));
    if (c.read_request()) ++second_requests;  // and close without answering
  });
  Replies replies(client());
  replies.send(request(server.url(), "POST", "1"));
  ASSERT_TRUE(replies.wait(1));
  replies.send(request(server.url(), "POST", "2"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(1).status, 200) << replies.reply(1).error;
  EXPECT_EQ(replies.reply(1).body, "ok");
  EXPECT_EQ(second_requests.load(), 1);
  EXPECT_EQ(server.accepted(), 2);
}

TEST_F(HttpClientTest, DoesNotRetryWhenAFreshConnectionCloses) {
  RawServer server([](RawServer::Connection& c) { c.read_request(); });
  Replies replies(client());
  replies.send(request(server.url(), "POST", "1"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(0).status, 0);
  EXPECT_EQ(replies.reply(0).error, "connection closed before the response");
  EXPECT_EQ(server.accepted(), 1);
}

// Part of a response arrived: the server may have acted on the request, so no retry.
TEST_F(HttpClientTest, DoesNotRetryWhenTheResponseIsCutShort) {
  RawServer server([](RawServer::Connection& c) {
    if (c.read_request()) c.write(ok_response("first"));
    if (c.read_request()) c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part");
  });
  Replies replies(client());
  replies.send(request(server.url(), "POST", "1"));
  ASSERT_TRUE(replies.wait(1));
  replies.send(request(server.url(), "POST", "2"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(1).status, 0);
  EXPECT_EQ(replies.reply(1).error, "connection closed before the end of the response");
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(HttpClientTest, ReadsChunkedAndCloseDelimitedBodies) {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    if (c.index() == 0) {
      c.write("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      serve_ok(c);
    } else {
      c.write("HTTP/1.0 200 OK\r\n\r\nuntil the end");  // no length: the body ends with the connection
    }
  });
  Replies replies(client());
  replies.send(request(server.url(), "POST", "1"));
  ASSERT_TRUE(replies.wait(1));
  EXPECT_EQ(replies.reply(0).status, 201);
  EXPECT_EQ(replies.reply(0).body, "hello world");
  replies.send(request(server.url(), "POST", "2"));  // the same, kept-alive connection
  ASSERT_TRUE(replies.wait(2));
  EXPECT_EQ(replies.reply(1).body, "ok");
  EXPECT_EQ(server.accepted(), 1);

  HttpClientOptions o;
  AsioHttpClient other(loop_.io(), o);
  Replies more(other);
  more.send(request(server.url(), "POST", "3"));
  ASSERT_TRUE(more.wait());
  EXPECT_EQ(more.reply(0).status, 200) << more.reply(0).error;
  EXPECT_EQ(more.reply(0).body, "until the end");
}

TEST_F(HttpClientTest, ReadsNoBodyAfterAHeadResponse) {
  std::string second;
  RawServer server([&](RawServer::Connection& c) {
    if (c.read_request()) c.write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nETag: \"e\"\r\n\r\n");
    if (c.read_request(&second)) c.write(ok_response("after"));
  });
  Replies replies(client());
  replies.send(request(server.url("/object"), "HEAD"));
  ASSERT_TRUE(replies.wait(1));
  EXPECT_EQ(replies.reply(0).status, 200) << replies.reply(0).error;
  EXPECT_EQ(replies.reply(0).body, "");
  EXPECT_EQ(header(replies.reply(0), "content-length"), "1234");
  replies.send(request(server.url("/next")));  // the same connection
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(1).body, "after");
  EXPECT_EQ(second.rfind("GET /next HTTP/1.1\r\n", 0), 0u) << second;
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(HttpClientTest, CutsABodyLongerThanTheLimitAndKeepsTheStatus) {
  uint16_t port = start_server();
  HttpClientOptions o;
  o.max_response_body = 1000;
  Replies replies(client(o));
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  replies.send(request(base + "/big?5000"));
  ASSERT_TRUE(replies.wait(1));
  auto reply = replies.reply(0);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, std::string(1000, 'x'));
  EXPECT_EQ(reply.error, "response body truncated at 1000 bytes");
  replies.send(request(base + "/big?1000"));  // at the limit exactly: whole
  ASSERT_TRUE(replies.wait(2));
  EXPECT_EQ(replies.reply(1).body, std::string(1000, 'x'));
  EXPECT_EQ(replies.reply(1).error, "");
}

TEST_F(HttpClientTest, StopAnswersQueuedAndInFlightRequestsAndLaterOnes) {
  std::atomic<int> requests{0};
  RawServer server([&](RawServer::Connection& c) {
    while (c.read_request()) ++requests;
  });
  HttpClientOptions o;
  o.max_connections_per_host = 2;
  Replies replies(client(o));
  for (int i = 0; i < 6; ++i) replies.send(request(server.url(), "POST", "x"));
  ASSERT_TRUE(eventually([&] { return requests.load() == 2; }));  // 2 in flight, 4 queued
  auto t0 = Clock::now();
  client_->stop();
  ASSERT_TRUE(replies.wait());
  EXPECT_LT(seconds_since(t0), 2.0);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(replies.reply(i).status, 0);
    EXPECT_EQ(replies.reply(i).error, "client stopped");
  }
  replies.send(request(server.url(), "POST", "late"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(6).error, "client stopped");
  replies.expect_each_answered_once_on(loop_.id());
  client_->stop();  // again: harmless
}

TEST_F(HttpClientTest, DestroyingTheClientAnswersItsRequests) {
  RawServer server([](RawServer::Connection& c) {
    c.read_request();
    c.wait_closed();
  });
  auto client = std::make_unique<AsioHttpClient>(loop_.io());
  Replies replies(*client);
  for (int i = 0; i < 3; ++i) replies.send(request(server.url(), "POST", "x"));
  client.reset();
  ASSERT_TRUE(replies.wait());
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(replies.reply(i).error, "client stopped");
}

TEST_F(HttpClientTest, ClosesAConnectionIdleForTheIdleTimeout) {
  std::atomic<bool> client_closed{false};
  RawServer server([&](RawServer::Connection& c) {
    serve_ok(c);
    client_closed = true;
  });
  HttpClientOptions o;
  o.idle_timeout = 1s;
  Replies replies(client(o));
  replies.send(request(server.url(), "POST", "x"));
  ASSERT_TRUE(replies.wait());
  auto t0 = Clock::now();
  ASSERT_TRUE(eventually([&] { return client_closed.load(); }));
  EXPECT_GE(seconds_since(t0), 0.9);
  EXPECT_LT(seconds_since(t0), 3.0);
}

// --- HTTPS -------------------------------------------------------------------

struct TestCert {
  std::string cert_pem;
  std::string key_pem;
};

// A self-signed P-256 certificate for `san` ("DNS:localhost,IP:127.0.0.1").
TestCert make_cert(const char* san) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("sluice test"), -1, -1,
                             0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san);
  X509_add_ext(x, ext, -1);
  X509_EXTENSION_free(ext);
  X509_sign(x, key, EVP_sha256());

  auto pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, size_t(n));
    BIO_free(bio);
    return out;
  };
  TestCert c;
  c.cert_pem = pem([x](BIO* b) { PEM_write_bio_X509(b, x); });
  c.key_pem = pem([key](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  X509_free(x);
  EVP_PKEY_free(key);
  return c;
}

// A TLS server on a RawServer: answers "secure <body>", keeping connections alive
// unless told to close each; records each handshake's SNI and resumption.
class TlsServer {
 public:
  explicit TlsServer(const TestCert& cert, bool close_each = false)
      : ctx_(ssl::context::tls_server), close_each_(close_each), raw_([this](RawServer::Connection& c) { serve(c); }) {
    ctx_.use_certificate(net::buffer(cert.cert_pem), ssl::context::pem);
    ctx_.use_private_key(net::buffer(cert.key_pem), ssl::context::pem);
  }

  std::string url(std::string_view host = "127.0.0.1") const {
    return "https://" + std::string(host) + ":" + std::to_string(raw_.port()) + "/";
  }
  int handshakes_failed() const { return failed_.load(); }
  std::vector<std::pair<std::string, bool>> sessions() {  // (SNI, resumed) per connection
    std::lock_guard lock(mu_);
    return sessions_;
  }

 private:
  void serve(RawServer::Connection& c) {
    net::io_context io;
    tcp::socket socket(io);
    socket.assign(tcp::v4(), ::dup(c.fd()));
    ssl::stream<tcp::socket> stream(std::move(socket), ctx_);
    beast::error_code ec;
    stream.handshake(ssl::stream_base::server, ec);
    if (ec) {
      ++failed_;
      return;
    }
    const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    {
      std::lock_guard lock(mu_);
      sessions_.emplace_back(sni ? sni : "", SSL_session_reused(stream.native_handle()) == 1);
    }
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      http::read(stream, buffer, req, ec);
      if (ec) return;
      http::response<http::string_body> res{http::status::ok, 11};
      res.body() = "secure " + req.body();
      res.keep_alive(!close_each_);
      res.prepare_payload();
      http::write(stream, res, ec);
      if (ec || close_each_) return;
    }
  }

  ssl::context ctx_;
  bool close_each_;
  std::atomic<int> failed_{0};
  std::mutex mu_;
  std::vector<std::pair<std::string, bool>> sessions_;
  RawServer raw_;  // last: its threads use the rest
};

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST_F(HttpClientTest, HttpsWithoutVerificationTalksToASelfSignedServer) {
  TlsServer server(make_cert("DNS:localhost,IP:127.0.0.1"));
  HttpClientOptions o;
  o.verify_peer = false;
  Replies replies(client(o));
  replies.send(request(server.url("localhost"), "POST", "one"));
  ASSERT_TRUE(replies.wait(1));
  EXPECT_EQ(replies.reply(0).status, 200) << replies.reply(0).error;
  EXPECT_EQ(replies.reply(0).body, "secure one");
  replies.send(request(server.url("localhost"), "POST", "two"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(1).body, "secure two");
  auto sessions = server.sessions();
  ASSERT_EQ(sessions.size(), 1u);             // kept alive
  EXPECT_EQ(sessions[0].first, "localhost");  // SNI
}

TEST_F(HttpClientTest, HttpsRefusesASelfSignedServerWhenVerifyingAgainstTheSystemStore) {
  TlsServer server(make_cert("DNS:localhost,IP:127.0.0.1"));
  Replies replies(client());  // verify_peer by default
  replies.send(request(server.url(), "POST", "x"));
  ASSERT_TRUE(replies.wait());
  auto reply = replies.reply(0);
  EXPECT_EQ(reply.status, 0);
  EXPECT_NE(reply.error.find("TLS handshake"), std::string::npos) << reply.error;
  EXPECT_NE(reply.error.find("certificate verify failed"), std::string::npos) << reply.error;
  EXPECT_NE(reply.error.find("self-signed"), std::string::npos) << reply.error;
  EXPECT_TRUE(eventually([&] { return server.handshakes_failed() == 1; }));
  EXPECT_TRUE(server.sessions().empty());
}

TEST_F(HttpClientTest, HttpsVerifiesAgainstACaFileAndChecksTheName) {
  TestCert cert = make_cert("DNS:localhost,IP:127.0.0.1");
  TlsServer server(cert);
  HttpClientOptions o;
  o.ca_file = write_temp("http_client_test_ca.pem", cert.cert_pem);
  Replies replies(client(o));
  replies.send(request(server.url("127.0.0.1"), "POST", "ip"));
  replies.send(request(server.url("localhost"), "POST", "name"));
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(0).status, 200) << replies.reply(0).error;
  EXPECT_EQ(replies.reply(1).status, 200) << replies.reply(1).error;

  TestCert other = make_cert("DNS:other.example");
  TlsServer wrong_name(other);
  HttpClientOptions o2;
  o2.ca_file = write_temp("http_client_test_other_ca.pem", other.cert_pem);
  AsioHttpClient client2(loop_.io(), o2);
  Replies mismatched(client2);
  mismatched.send(request(wrong_name.url("127.0.0.1"), "POST", "x"));
  ASSERT_TRUE(mismatched.wait());
  EXPECT_EQ(mismatched.reply(0).status, 0);
  EXPECT_NE(mismatched.reply(0).error.find("mismatch"), std::string::npos) << mismatched.reply(0).error;
}

TEST_F(HttpClientTest, HttpsResumesTheSessionOnANewConnection) {
  TlsServer server(make_cert("DNS:localhost,IP:127.0.0.1"), /*close_each=*/true);
  HttpClientOptions o;
  o.verify_peer = false;
  Replies replies(client(o));
  for (size_t i = 0; i < 3; ++i) {
    replies.send(request(server.url(), "POST", "r"));
    ASSERT_TRUE(replies.wait(i + 1));
    EXPECT_EQ(replies.reply(i).status, 200) << replies.reply(i).error;
  }
  auto sessions = server.sessions();
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_FALSE(sessions[0].second);
  EXPECT_TRUE(sessions[1].second);
  EXPECT_TRUE(sessions[2].second);
}

TEST_F(HttpClientTest, HttpsTimesOutAServerThatNeverHandshakes) {
  RawServer server([](RawServer::Connection& c) { c.wait_closed(); });
  HttpClientOptions o;
  o.verify_peer = false;
  Replies replies(client(o));
  auto r = request("https://127.0.0.1:" + std::to_string(server.port()) + "/", "POST", "x");
  r.timeout = 200ms;
  replies.send(r);
  ASSERT_TRUE(replies.wait());
  EXPECT_EQ(replies.reply(0).error, "timed out");
}

}  // namespace
}  // namespace sluice::server
