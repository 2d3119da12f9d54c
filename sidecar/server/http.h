#pragma once
// HTTP request and response as the front-ends see them: plain structs, no Beast
// types, so that protocol code compiles without the networking headers.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::server {

struct HttpRequest {
  std::string method;                                        // "POST", "GET", ...
  std::string path;                                          // target without the query string
  std::string query;                                         // text after '?', undecoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote;  // peer address, for logs
  int http_major = 1;  // 2 for a request that came over HTTP/2

  // The value of a header (name in lower case), or "" when absent.
  std::string_view header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return v;
    return {};
  }
};

// The body of a streamed response (an event stream: Kinesis SubscribeToShard),
// written over time: each write goes out as it comes (HTTP/2 DATA frames,
// HTTP/1.1 chunks), close() ends the body. Thread-safe; any thread may write.
class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  // Queues bytes to send; false once the body is closed or the client has gone.
  virtual bool write(std::string bytes) = 0;
  // Ends the body after what is queued.
  virtual void close() = 0;
  // Runs once, on a server thread, if the client goes away (stream reset,
  // connection closed, server stopping) before close(); at once if it already has.
  virtual void on_cancel(std::function<void()> fn) = 0;
  // Bytes queued and not yet handed to the socket: a writer that produces faster
  // than the client reads should wait while this is large.
  virtual size_t pending() const = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, `body` is ignored: the status and headers are sent, then this runs
  // (on a server thread) with the writer of the body.
  std::function<void(std::shared_ptr<BodyWriter>)> stream;
};

// Completes a request. Call exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(HttpRequest&&, Responder)>;

inline HttpResponse text_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace sluice::server
