#include "tests/k8s/apiserver/server.h"

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "tests/k8s/apiserver/api.h"
#include "tests/k8s/apiserver/tls_identity.h"

namespace sluice::test_apiserver {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

// Writes watch events as HTTP chunks; notices a client that hung up.
template <class Stream>
class ChunkSink : public StreamSink {
 public:
  ChunkSink(Stream& stream, int fd) : stream_(stream), fd_(fd) {}

  bool write(std::string_view chunk) override {
    beast::error_code ec;
    net::write(stream_, http::make_chunk(net::buffer(chunk.data(), chunk.size())), ec);
    return !ec;
  }

  bool client_gone() override {
    pollfd p{fd_, POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
    char c;
    return ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
  }

 private:
  Stream& stream_;
  int fd_;
};

}  // namespace

struct HttpServer::Impl {
  Api& api;
  std::unique_ptr<ssl::context> tls;
  net::io_context io;
  tcp::acceptor acceptor{io};
  std::thread accept_thread;
  std::mutex mu;
  std::condition_variable idle;
  std::set<int> open_sockets;
  size_t connections = 0;
  std::atomic<bool> stopping{false};

  explicit Impl(Api& a) : api(a) {}

  void accept_loop() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket(io);
      acceptor.accept(socket, ec);
      if (stopping) return;
      if (ec) continue;
      std::lock_guard lock(mu);
      ++connections;
      open_sockets.insert(socket.native_handle());
      std::thread([this, s = std::move(socket)]() mutable { serve(std::move(s)); }).detach();
    }
  }

  void serve(tcp::socket socket) {
    int fd = socket.native_handle();
    beast::error_code ec;
    if (tls) {
      beast::ssl_stream<tcp::socket&> stream(socket, *tls);
      stream.handshake(ssl::stream_base::server, ec);
      if (!ec) serve_stream(stream, fd);
    } else {
      serve_stream(socket, fd);
    }
    socket.shutdown(tcp::socket::shutdown_both, ec);
    std::lock_guard lock(mu);
    open_sockets.erase(fd);
    socket.close(ec);
    if (--connections == 0) idle.notify_all();
  }

  template <class Stream>
  void serve_stream(Stream& socket, int fd) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);  // helm release Secrets are large
      http::read(socket, buffer, parser, ec);
      if (ec) break;
      auto& req = parser.get();
      HttpRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      for (const auto& h : req) {
        std::string name(h.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(h.value());
      }
      r.body = std::move(req.body());
      HttpResponse resp = api.handle(r);
      if (resp.stream) {
        http::response<http::empty_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, resp.content_type);
        res.set(http::field::cache_control, "no-cache, private");
        res.chunked(true);
        http::response_serializer<http::empty_body> sr{res};
        http::write_header(socket, sr, ec);
        if (ec) break;
        ChunkSink<Stream> sink(socket, fd);
        resp.stream(sink);
        net::write(socket, http::make_chunk_last(), ec);
        if (ec || !req.keep_alive()) break;
        continue;
      }
      http::response<http::string_body> res{static_cast<http::status>(resp.status), req.version()};
      res.set(http::field::content_type, resp.content_type);
      for (const auto& [k, v] : resp.headers) res.insert(k, v);
      res.keep_alive(req.keep_alive());
      if (r.method != "HEAD") res.body() = std::move(resp.body);
      res.prepare_payload();
      http::write(socket, res, ec);
      if (ec || !res.keep_alive()) break;
    }
  }
};

HttpServer::HttpServer(Api& api, uint16_t port, const TlsIdentity* tls) : impl_(std::make_unique<Impl>(api)) {
  beast::error_code ec;
  if (tls) {
    impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    impl_->tls->use_certificate_chain(net::buffer(tls->certificate_pem), ec);
    if (!ec) impl_->tls->use_private_key(net::buffer(tls->private_key_pem), ssl::context::pem, ec);
    if (ec) throw std::runtime_error("cannot load the TLS identity: " + ec.message());
  }
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
  impl_->accept_thread = std::thread([this] { impl_->accept_loop(); });
}

HttpServer::~HttpServer() { stop(); }

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::stop() {
  if (impl_->stopping.exchange(true)) return;
  // shutdown(2) wakes the blocked accept() and reads; the threads then close their sockets.
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
  std::unique_lock lock(impl_->mu);
  for (int fd : impl_->open_sockets) ::shutdown(fd, SHUT_RDWR);
  impl_->idle.wait_for(lock, std::chrono::seconds(10), [this] { return impl_->connections == 0; });
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

}  // namespace sluice::test_apiserver
