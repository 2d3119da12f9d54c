#pragma once

// Keeps a scenario's io_context bounded in time: polls until every worker has
// stopped (then lets run() return) or the deadline passes (then stops the
// io_context, so a server that stops answering cannot hang the benchmark).
// io_context::stop() is safe from any thread, unlike closing sockets that
// other threads are using.

#include "bench/sqs/loadgen_common.h"

#include <boost/asio/steady_timer.hpp>

#include <atomic>

namespace sluice::bench {

class Watchdog {
 public:
  Watchdog(boost::asio::io_context& io, const std::atomic<int>& active, Clock::time_point deadline)
      : io_(io), timer_(io), active_(active), deadline_(deadline) {}

  void start() { arm(); }
  bool fired() const { return fired_; }

 private:
  void arm() {
    timer_.expires_after(std::chrono::milliseconds(20));
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || active_.load() == 0) return;
      if (Clock::now() >= deadline_) {
        fired_ = true;
        io_.stop();
        return;
      }
      arm();
    });
  }

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  const std::atomic<int>& active_;
  Clock::time_point deadline_;
  bool fired_ = false;
};

}  // namespace sluice::bench
