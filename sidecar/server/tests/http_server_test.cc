// HttpServer over real sockets and a real IoLoops: keep-alive, the read
// timeouts (a request the handler holds is never cut), answers to malformed
// requests, HTTP/1.0, the connection limit, graceful stop, and the accept
// loop's back-off when descriptors run out (in a forked child, so that its
// lowered RLIMIT_NOFILE stays there). The timeouts are short and real; the
// checks allow generous upper bounds for a loaded machine.

#include "sidecar/server/http_server.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sluice::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Response {
  std::string status_line;
  int status = 0;
  std::string head;  // header lines, as received
  std::string body;

  // The value of a header, by case-insensitive name; "" when absent.
  std::string header(std::string_view name) const {
    std::istringstream lines(head);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto colon = line.find(':');
      if (colon != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < colon; ++i) same &= std::tolower(line[i]) == std::tolower(name[i]);
      if (!same) continue;
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      return value;
    }
    return "";
  }
};

// A blocking POSIX client with deadlines on reads.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }

  // False once the server has closed or reset the connection.
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(size_t(n));
    }
    return true;
  }

  // One response (Content-Length framed), or nullopt if the connection closed or
  // the timeout passed first.
  std::optional<Response> response(Clock::duration timeout = 5s) {
    auto deadline = Clock::now() + timeout;
    size_t end;
    while ((end = in_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    Response r;
    auto first = in_.find("\r\n");
    r.status_line = in_.substr(0, first);
    r.head = in_.substr(first + 2, end - first);
    if (r.status_line.size() >= 12) r.status = std::atoi(r.status_line.c_str() + 9);
    size_t length = std::stoul("0" + r.header("content-length"));
    while (in_.size() < end + 4 + length)
      if (!fill(deadline)) return std::nullopt;
    r.body = in_.substr(end + 4, length);
    in_.erase(0, end + 4 + length);
    return r;
  }

  // Waits for the server to close (EOF or reset); false if still open at the
  // timeout. Whatever arrives meanwhile is kept in received().
  bool wait_closed(Clock::duration timeout) {
    auto deadline = Clock::now() + timeout;
    while (fill(deadline)) {
    }
    return closed_;
  }

  const std::string& received() const { return in_; }

 private:
  // Reads what is there; false on EOF, reset or timeout.
  bool fill(Clock::time_point deadline) {
    if (closed_) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, int(left)) <= 0) return false;
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    in_.append(buf, size_t(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string in_;
};

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

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

// Answers "<method> <path>?<query> <x-test> <body>", or after ?ms=N from
// another thread, as a long poll would.
class HttpServerTest : public ::testing::Test {
 protected:
  ~HttpServerTest() override {
    {
      std::lock_guard lock(mu_);
      for (auto& t : answerers_) t.join();
    }
    loops_.stop();
    loops_.join();
    server_.reset();
  }

  uint16_t start(HttpServerOptions options = fast_options()) {
    server_ = std::make_unique<HttpServer>(loops_, std::move(options), [this](HttpRequest&& req, Responder respond) {
      handled_.fetch_add(1);
      auto r = text_response(200, req.method + " " + req.path + "?" + req.query + " " +
                                      std::string(req.header("x-test")) + " " + req.body);
      if (req.query.rfind("ms=", 0) == 0) {
        auto delay = std::chrono::milliseconds(std::stoi(req.query.substr(3)));
        std::lock_guard lock(mu_);
        answerers_.emplace_back([delay, respond, r] {
          std::this_thread::sleep_for(delay);
          respond(r);
        });
        return;
      }
      respond(std::move(r));
    });
    std::string error;
    EXPECT_TRUE(server_->listen(&error)) << error;
    loops_.start();
    return server_->port();
  }

  // The server counts a request answered, or a connection closed, just after the
  // client can see it.
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
  std::mutex mu_;
  std::vector<std::thread> answerers_;
};

TEST_F(HttpServerTest, ServesRequestsOnOneKeepAliveConnection) {
  Client c(start());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send("GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: h\r\nX-Test: one\r\n\r\n"));
  auto r = c.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r->body, "GET /a/b?x=1&y=2 one ");
  EXPECT_EQ(r->header("connection"), "");

  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"));
  r = c.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /?  hello");

  ASSERT_TRUE(
      c.send("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  r = c.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /c?  hello world");
}

TEST_F(HttpServerTest, AnswersPipelinedRequestsInOrder) {
  Client c(start());
  ASSERT_TRUE(
      c.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2?ms=100 HTTP/1.1\r\nHost: h\r\n\r\n"
             "POST /3 HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx"));
  for (std::string expected : {"GET /1?  ", "GET /2?ms=100  ", "POST /3?  x"}) {
    auto r = c.response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, expected);
  }
}

TEST_F(HttpServerTest, ClosesAConnectionThatSendsNothingAfterTheHeaderTimeout) {
  Client c(start());
  auto t0 = Clock::now();
  ASSERT_TRUE(c.wait_closed(5s));
  EXPECT_GE(seconds_since(t0), 0.25);
  EXPECT_LT(seconds_since(t0), 2.5);
  EXPECT_EQ(c.received(), "");  // no request started: nothing to answer
}

TEST_F(HttpServerTest, ClosesAnIdleKeepAliveConnectionAfterTheIdleTimeout) {
  Client c(start());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  ASSERT_TRUE(c.response());
  auto t0 = Clock::now();
  ASSERT_TRUE(c.wait_closed(5s));
  EXPECT_GE(seconds_since(t0), 0.75);  // the idle timeout (800 ms), not the header timeout (300 ms)
  EXPECT_LT(seconds_since(t0), 3.0);
  EXPECT_EQ(c.received(), "");
}

// One byte per 100 ms: progress does not extend the header timeout.
TEST_F(HttpServerTest, ClosesASlowlorisClientAfterTheHeaderTimeout) {
  Client c(start());
  std::string request = "GET / HTTP/1.1\r\nHost: h\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  auto t0 = Clock::now();
  size_t sent = 0;
  bool closed = false;
  while (sent < request.size() && seconds_since(t0) < 5) {
    if (!c.send(request.substr(sent++, 1))) break;
    if ((closed = c.wait_closed(100ms))) break;
  }
  closed = closed || c.wait_closed(3s);
  ASSERT_TRUE(closed);
  EXPECT_GE(seconds_since(t0), 0.25);
  EXPECT_LT(seconds_since(t0), 2.5);
  EXPECT_LT(sent, request.size());
  EXPECT_EQ(c.received().find("200 OK"), std::string::npos) << c.received();
  if (!c.received().empty()) {  // a 408, unless a reset overtook it
    EXPECT_EQ(c.received().rfind("HTTP/1.1 408", 0), 0u) << c.received();
  }
  EXPECT_EQ(handled_.load(), 0);
}

// Between requests the idle timeout applies; the header timeout starts again at
// the next request's first byte.
TEST_F(HttpServerTest, StartsTheHeaderTimeoutAtTheFirstByteOfALaterRequest) {
  Client c(start());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  ASSERT_TRUE(c.response());
  EXPECT_FALSE(c.wait_closed(500ms));  // longer than the header timeout
  auto t0 = Clock::now();
  ASSERT_TRUE(c.send("G"));
  ASSERT_TRUE(c.wait_closed(5s));
  EXPECT_GE(seconds_since(t0), 0.25);
  EXPECT_LT(seconds_since(t0), 2.5);
  EXPECT_EQ(c.received().rfind("HTTP/1.1 408", 0), 0u) << c.received();
}

TEST_F(HttpServerTest, ClosesARequestWhoseBodyStallsAfterTheBodyTimeout) {
  Client c(start());
  auto t0 = Clock::now();
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n0123456789"));
  ASSERT_TRUE(c.wait_closed(5s));
  EXPECT_GE(seconds_since(t0), 0.45);
  EXPECT_LT(seconds_since(t0), 3.0);
  if (!c.received().empty()) {  // a 408, unless a reset overtook it
    EXPECT_EQ(c.received().rfind("HTTP/1.1 408", 0), 0u) << c.received();
  }
  EXPECT_EQ(handled_.load(), 0);
}

// The body budget is one span from the end of the header section (500 ms here):
// pieces that keep coming within it are fine, a trickle that outlasts it is cut.
TEST_F(HttpServerTest, ServesABodyThatArrivesInPiecesWithinTheBodyTimeout) {
  Client c(start());
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n"));
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(c.send("0123456789"));
  }
  auto r = c.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.size(), std::string("POST /?  ").size() + 100);
}

TEST_F(HttpServerTest, DeliversASlowHandlersAnswerLongAfterEveryTimeout) {
  Client c(start());
  auto t0 = Clock::now();
  ASSERT_TRUE(c.send("GET /poll?ms=1500 HTTP/1.1\r\nHost: h\r\n\r\n"));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(server_->in_flight(), 1);
  auto r = c.response(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "GET /poll?ms=1500  ");
  EXPECT_GE(seconds_since(t0), 1.5);
  EXPECT_TRUE(eventually([&] { return server_->in_flight() == 0; }));
  ASSERT_TRUE(c.send("GET /again HTTP/1.1\r\nHost: h\r\n\r\n"));  // still kept alive
  EXPECT_TRUE(c.response());
}

struct Malformed {
  const char* what;
  std::string request;
  std::string status_line;
};

TEST_F(HttpServerTest, AnswersMalformedRequestsAndCloses) {
  uint16_t port = start();
  const std::string post = "POST / HTTP/1.1\r\nHost: h\r\n";
  const std::vector<Malformed> cases = {
      {"bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
       "HTTP/1.1 400 Bad Request"},
      {"bad chunk after part of the body", post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n",
       "HTTP/1.1 400 Bad Request"},
      {"Content-Length and Transfer-Encoding", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello",
       "HTTP/1.1 400 Bad Request"},
      {"two Content-Lengths", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
       "HTTP/1.1 400 Bad Request"},
      {"negative Content-Length", post + "Content-Length: -5\r\n\r\nhello", "HTTP/1.1 400 Bad Request"},
      {"Transfer-Encoding without chunked", post + "Transfer-Encoding: gzip\r\n\r\nhello", "HTTP/1.1 400 Bad Request"},
      {"not HTTP", "hello there\r\n\r\n", "HTTP/1.1 400 Bad Request"},
      {"HTTP/1.0, bad", "POST / HTTP/1.0\r\nContent-Length: x\r\n\r\n", "HTTP/1.0 400 Bad Request"},
      {"header section over 64 KiB", post + std::string(70 << 10, 'a').insert(0, "X-Big: ") + "\r\n\r\n",
       "HTTP/1.1 431 Request Header Fields Too Large"},
      {"20 KiB target", "GET /" + std::string(20 << 10, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n",
       "HTTP/1.1 414 URI Too Long"},
      {"1 MB target", "GET /" + std::string(1 << 20, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n",
       "HTTP/1.1 414 URI Too Long"},
      {"Content-Length over the body limit", post + "Content-Length: 1000000000000000\r\n\r\nhello",
       "HTTP/1.1 413 Payload Too Large"},
      {"chunk over the body limit", post + "Transfer-Encoding: chunked\r\n\r\n200000\r\nhello",
       "HTTP/1.1 413 Payload Too Large"},
  };
  for (const auto& m : cases) {
    SCOPED_TRACE(m.what);
    Client c(port);
    c.send(m.request);  // may be cut short once the server has answered
    auto r = c.response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status_line, m.status_line);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_EQ(r->header("content-type"), "text/plain; charset=utf-8");
    EXPECT_FALSE(r->body.empty());
    EXPECT_TRUE(c.wait_closed(5s));
  }
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(HttpServerTest, RepliesToHttp10WithHttp10AndKeepsAliveOnlyWhenAsked) {
  uint16_t port = start();
  {
    Client c(port);
    ASSERT_TRUE(c.send("GET /old HTTP/1.0\r\n\r\n"));
    auto r = c.response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status_line, "HTTP/1.0 200 OK");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.wait_closed(3s));
  }
  {
    Client c(port);
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(c.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
      auto r = c.response();
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status_line, "HTTP/1.0 200 OK");
      EXPECT_EQ(r->header("connection"), "keep-alive");
    }
  }
  {
    Client c(port);
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
    auto r = c.response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status_line, "HTTP/1.1 200 OK");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.wait_closed(3s));
  }
}

TEST_F(HttpServerTest, RefusesConnectionsBeyondTheLimitAndServesAgainOnceOthersClose) {
  auto options = fast_options();
  options.max_connections = 3;
  options.header_timeout = options.idle_timeout = 30s;  // only the test closes connections here
  uint16_t port = start(options);
  std::vector<std::unique_ptr<Client>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<Client>(port));
    ASSERT_TRUE(open.back()->send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    ASSERT_TRUE(open.back()->response());
  }
  EXPECT_EQ(server_->connections(), 3u);
  for (int i = 0; i < 2; ++i) {
    Client over(port);
    ASSERT_TRUE(over.connected());  // the kernel completes it; the server refuses it
    ASSERT_TRUE(over.wait_closed(3s));
    EXPECT_EQ(over.received().rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << over.received();
  }
  EXPECT_EQ(server_->connections(), 3u);

  open.erase(open.begin());
  ASSERT_TRUE(eventually([&] { return server_->connections() == 2; }));
  Client again(port);
  ASSERT_TRUE(again.send("GET /again HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r = again.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  for (auto& c : open) {  // the others were served all along
    ASSERT_TRUE(c->send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    EXPECT_TRUE(c->response());
  }
}

TEST_F(HttpServerTest, StopAcceptingLetsTheCurrentRequestFinishThenCloses) {
  uint16_t port = start();
  Client c(port);
  ASSERT_TRUE(c.send("GET /poll?ms=500 HTTP/1.1\r\nHost: h\r\n\r\n"));
  std::this_thread::sleep_for(100ms);
  ASSERT_EQ(server_->in_flight(), 1);
  server_->stop_accepting();
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(Client(port).connected());
  auto r = c.response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.wait_closed(3s));
  EXPECT_EQ(server_->in_flight(), 0);  // counted down before the connection closed
}

// utime + stime of a process, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i >= 14) ticks += std::stod(field);
  return ticks / double(sysconf(_SC_CLK_TCK));
}

// The child serves with RLIMIT_NOFILE at 48 until the parent closes `control`.
[[noreturn]] void serve_with_few_descriptors(int port_out, int control) {
  rlimit limit{48, 48};
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) _exit(2);
  IoLoops loops(2);
  HttpServerOptions options;
  options.bind = "127.0.0.1";
  options.name = "child";
  options.header_timeout = 60s;  // the parent's idle connections hold their descriptors
  HttpServer server(loops, options, [](HttpRequest&&, Responder respond) { respond(text_response(200, "ok\n")); });
  std::string error;
  if (!server.listen(&error)) _exit(3);
  loops.start();
  uint16_t port = server.port();
  if (write(port_out, &port, sizeof port) != sizeof port) _exit(4);
  char c;
  while (read(control, &c, 1) > 0) {
  }
  _exit(0);  // no destructors: the loops' threads are still running
}

TEST(HttpServerDescriptorsTest, BacksOffInsteadOfSpinningWhenDescriptorsRunOut) {
  int port_pipe[2], control[2], log_pipe[2];
  ASSERT_EQ(pipe(port_pipe), 0);
  ASSERT_EQ(pipe(control), 0);
  ASSERT_EQ(pipe(log_pipe), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(port_pipe[0]);
    close(control[1]);
    close(log_pipe[0]);
    dup2(log_pipe[1], 2);
    close(log_pipe[1]);
    serve_with_few_descriptors(port_pipe[1], control[0]);
  }
  close(port_pipe[1]);
  close(control[0]);
  close(log_pipe[1]);
  uint16_t port = 0;
  ASSERT_EQ(read(port_pipe[0], &port, sizeof port), ssize_t(sizeof port));

  {
    std::vector<std::unique_ptr<Client>> hogs;  // more than the child has descriptors for
    for (int i = 0; i < 100; ++i) {
      hogs.push_back(std::make_unique<Client>(port));
      ASSERT_TRUE(hogs.back()->connected());
    }
    std::this_thread::sleep_for(300ms);
    double cpu0 = cpu_seconds(pid);
    auto t0 = Clock::now();
    std::this_thread::sleep_for(1s);
    double share = (cpu_seconds(pid) - cpu0) / seconds_since(t0);
    EXPECT_LT(share, 0.3) << "the accept loop spins";
  }

  // Descriptors free up as the hogs close: a new client is served again.
  Client c(port);
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r = c.response(10s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);

  close(control[1]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::string log;
  char buf[4096];
  for (ssize_t n; (n = read(log_pipe[0], buf, sizeof buf)) > 0;) log.append(buf, size_t(n));
  close(log_pipe[0]);
  close(port_pipe[0]);
  size_t failures = 0;
  for (size_t at = 0; (at = log.find("accept failed", at)) != std::string::npos; ++at) ++failures;
  EXPECT_EQ(failures, 1u) << log;  // once per episode, not per attempt
  EXPECT_NE(log.find("Too many open files"), std::string::npos) << log;
}

}  // namespace
}  // namespace sluice::server
