#pragma once
// The BodyWriter behind a streamed response, for HTTP/1.1 and HTTP/2 alike: a
// queue that any thread fills and the connection's loop drains. When the loop
// finds it empty it says so, and the next write or close() calls `wake`, which
// must only post to the loop (the connection then reads again). The connection
// cancels it when the client goes away; on_cancel's function then runs once,
// unless close() came first.

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

#include "sidecar/server/http.h"

namespace sluice::server {

class StreamBody final : public BodyWriter {
 public:
  explicit StreamBody(std::function<void()> wake) : wake_(std::move(wake)) {}

  bool write(std::string bytes) override;
  void close() override;
  void on_cancel(std::function<void()> fn) override;
  size_t pending() const override;

  enum class Read {
    data,  // bytes were copied; the body may go on
    last,  // bytes (maybe none) were copied and the body is over
    wait,  // nothing queued yet: wake() runs when there is
  };
  // Loop side: moves up to `max` queued bytes to `out`, setting *n to how many.
  Read read(char* out, size_t max, size_t* n);
  // Loop side: the client has gone. Runs the on_cancel function unless closed.
  void cancel();

 private:
  const std::function<void()> wake_;
  mutable std::mutex mu_;
  std::deque<std::string> queue_;
  size_t offset_ = 0;  // into queue_.front()
  size_t pending_ = 0;
  bool closed_ = false;
  bool cancelled_ = false;
  bool waiting_ = false;  // the loop found the queue empty: the next write wakes it
  std::function<void()> on_cancel_;
};

}  // namespace sluice::server
