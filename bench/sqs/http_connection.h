#pragma once

// A minimal HTTP/1.1 keep-alive client connection for the load generator.
//
// One request in flight at a time; the request bytes are built once by the caller
// and written as they are. Only what a load generator needs is parsed: the status
// line, Content-Length (or chunked), Connection: close, and the body. A server
// that closes after each response (moto's Werkzeug does) is reconnected to before
// the next request, so the cost of that shows in its figures as it would for a
// real client.
//
// Lifecycle: owned by one worker; all handlers run on the io_context thread(s)
// that run the caller, never concurrently for one connection.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::bench {

struct HttpResponse {
  int status = 0;
  // Valid until the next call() on the same connection.
  std::string_view body;
};

class HttpConnection {
 public:
  using Handler = std::function<void(const boost::system::error_code&, const HttpResponse&)>;

  HttpConnection(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint server);

  // Sends `request` (complete bytes; must stay alive until `done` runs) and calls
  // `done` with the response or the transport error.
  void call(std::string_view request, Handler done);

  // Closes the socket; an outstanding call completes with operation_aborted.
  // Used by watchdogs so a server that stops answering cannot hang the run.
  void abort();

  uint64_t connects() const { return connects_; }

 private:
  void connect_then_write();
  void write();
  void read_more();
  // Returns true when a whole response is buffered and the handler was called.
  bool try_complete();
  void fail(const boost::system::error_code& ec);
  void finish(int status, std::string_view body, size_t consumed, bool close);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::ip::tcp::endpoint server_;
  bool connected_ = false;
  bool reused_ = false;   // connection had served a response before this request
  bool retried_ = false;  // this request was already resent once
  std::string_view request_;
  Handler done_;
  std::vector<char> buf_;
  size_t size_ = 0;     // bytes buffered
  size_t consume_ = 0;  // bytes of the previous response, dropped on next call
  bool eof_ = false;
  std::string chunked_body_;
  uint64_t connects_ = 0;
};

}  // namespace sluice::bench
