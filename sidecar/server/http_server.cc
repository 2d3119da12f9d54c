#include "sidecar/server/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <iostream>
#include <optional>

namespace sluice::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// One connection. Owns its socket; every step runs on the connection's loop.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpHandler& handler, size_t body_limit,
          std::shared_ptr<std::atomic<int>> in_flight)
      : stream_(std::move(socket)), handler_(handler), body_limit_(body_limit), in_flight_(std::move(in_flight)) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(body_limit_);
    parser_->header_limit(64 * 1024);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      HttpResponse r = text_response(413, "request body too large\n");
      keep_alive_ = false;
      write(std::move(r));
      return;
    }
    if (ec) return close();  // closed by the peer, or garbage: nothing to answer
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    std::string_view target(msg.target().data(), msg.target().size());
    auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) req.query = std::string(target.substr(q + 1));
    req.headers.reserve(16);
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    req.body = std::move(msg.body());
    in_flight_->fetch_add(1);
    auto self = shared_from_this();
    handler_(std::move(req), [self](HttpResponse r) {
      net::post(self->stream_.get_executor(),
                [self, r = std::move(r)]() mutable { self->write(std::move(r), /*answers_request=*/true); });
    });
  }

  // A request stays in flight until its answer is written, so that a draining
  // server does not stop the io_context under a half-written response.
  void write(HttpResponse r, bool answers_request = false) {
    auto res = std::make_shared<http::response<http::string_body>>(http::status(r.status), 11);
    res->set(http::field::server, "sluice");
    res->set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->keep_alive(keep_alive_);
    res->body() = std::move(r.body);
    res->prepare_payload();
    http::async_write(stream_, *res, [self = shared_from_this(), res, answers_request](beast::error_code ec, size_t) {
      if (answers_request) self->in_flight_->fetch_sub(1);
      if (ec || !self->keep_alive_) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const HttpHandler& handler_;
  size_t body_limit_;
  std::shared_ptr<std::atomic<int>> in_flight_;
  bool keep_alive_ = true;
};

}  // namespace

HttpServer::HttpServer(IoLoops& loops, HttpServerOptions options, HttpHandler handler)
    : loops_(loops), options_(std::move(options)), handler_(std::move(handler)), acceptor_(loops.main()) {}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(std::string* error) {
  beast::error_code ec;
  auto address = net::ip::make_address(options_.bind, ec);
  if (ec) {
    *error = "invalid bind address " + options_.bind;
    return false;
  }
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    *error = options_.name + ": cannot listen on " + options_.bind + ":" + std::to_string(options_.port) + ": " +
             ec.message();
    return false;
  }
  port_ = acceptor_.local_endpoint().port();
  accept();
  return true;
}

void HttpServer::accept() {
  acceptor_.async_accept(loops_.next(), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), handler_, options_.body_limit, in_flight_)->start();
    }
    accept();
  });
}

void HttpServer::stop_accepting() {
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
}

}  // namespace sluice::server
