#pragma once
// The server side of one HTTP/2 connection on libnghttp2, with no socket: bytes
// in (receive), frames out (send). The AWS SDKs speak HTTP/2 with prior
// knowledge (h2c) to an http:// endpoint for event streams (Kinesis
// SubscribeToShard: the JavaScript SDK v3's NodeHttp2Handler, the Java SDK's
// Netty client), and then send every other call over the same connection, so
// each stream becomes one HttpRequest for the server's one HttpHandler.
// http2_connection.cc runs it on a socket; the fuzz target runs it on bytes.
//
// Limits, as on HTTP/1.1 (HttpServerOptions): a request whose header list,
// target or body is too large, or that has not all arrived in time
// (header_timeout to the end of its header block, then body_timeout), is
// answered 431, 414, 413 or 408, and the rest of its upload is refused with
// RST_STREAM(NO_ERROR). At most kMaxConcurrentStreams streams are open at once,
// so a connection buffers at most that many bodies of up to body_limit while
// they arrive.
//
// Not thread-safe: one thread (the connection's loop) calls everything except
// the Hooks::wake it is given, which StreamBody calls from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sidecar/server/http.h"
#include "sidecar/server/http_server.h"
#include "sidecar/server/stream_body.h"

struct nghttp2_session;

namespace sluice::server {

class Http2Session {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr uint32_t kMaxConcurrentStreams = 100;
  // A 1 MiB PutRecords fits in the first round trip; the connection window lets
  // several such uploads run at once.
  static constexpr int32_t kStreamWindow = 4 << 20;
  static constexpr int32_t kConnectionWindow = 16 << 20;

  struct Hooks {
    // A whole request on stream `id`, for the handler; answer with respond(id).
    // Runs inside receive(): it must not call into the session.
    std::function<void(int32_t id, HttpRequest&&)> request;
    // From any thread: stream `id`'s streamed body has more to send (or has
    // ended). Must only arrange for resume(id) to run on the session's thread.
    std::function<void(int32_t id)> wake;
  };

  // Counts the requests it hands out in `in_flight` until their streams close.
  Http2Session(const HttpServerOptions& options, std::atomic<int>& in_flight, Hooks hooks);
  // Cancels streamed bodies still open and counts their requests out.
  ~Http2Session();
  Http2Session(const Http2Session&) = delete;
  Http2Session& operator=(const Http2Session&) = delete;

  // Received bytes, from the client preface on. False on an error after which
  // the connection must close at once (a bad preface, a flood); nghttp2 answers
  // lesser protocol errors with GOAWAY, and then want_read() turns false.
  bool receive(std::string_view bytes);
  // Appends frames to send to `out` while it holds under `max` bytes; false on a
  // fatal error.
  bool send(std::string& out, size_t max);
  // The answers send() put in its output since the last call: the caller counts
  // them out of in_flight once written, so that a draining server does not stop
  // under a half-written answer. The session counts out those never taken.
  size_t take_answers();
  // Answers stream `id`; nothing if it has closed meanwhile (the client reset it).
  void respond(int32_t id, HttpResponse response);
  // After Hooks::wake: sends what stream `id`'s body has queued.
  void resume(int32_t id);
  // Graceful shutdown, in RFC 9113's two steps: a GOAWAY that tells the client
  // to open no more streams, then, a round trip later, one with the last stream
  // served. Streams already open finish.
  void shutdown_notice();
  void go_away();
  // Answers 408 to requests past their deadline; returns the next deadline.
  Clock::time_point expire(Clock::time_point now);

  bool want_read() const;
  bool want_write() const;
  size_t open_streams() const { return streams_.size(); }

 private:
  struct Callbacks;  // nghttp2's callbacks, with access to the streams
  struct Stream {
    HttpRequest request;
    size_t header_bytes = 0;
    int refuse_status = 0;    // 431 or 414, found while the headers arrive
    bool refused = false;     // answered with an error: the rest of the upload is dropped
    bool dispatched = false;  // handed to the handler: counted in in_flight
    bool answered = false;
    Clock::time_point deadline;  // for the whole request to arrive
    std::string body;            // of the answer
    size_t sent = 0;
    std::shared_ptr<StreamBody> streamed;
  };

  Stream* find(int32_t id);
  void end_of_headers(int32_t id, Stream& s, bool end_stream);
  void dispatch(int32_t id, Stream& s);
  void refuse(int32_t id, Stream& s, int status, std::string text);
  void submit(int32_t id, Stream& s, HttpResponse& response);
  void closed(int32_t id);

  const HttpServerOptions& options_;
  std::atomic<int>& in_flight_;
  const Hooks hooks_;
  nghttp2_session* session_ = nullptr;
  std::unordered_map<int32_t, Stream> streams_;  // open streams, by id
  bool sending_ = false;                         // inside send()
  size_t answers_in_output_ = 0;
};

}  // namespace sluice::server
