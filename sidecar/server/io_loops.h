#pragma once
// N event loops, each an io_context run by exactly one thread, as Envoy's
// workers are. A connection is accepted onto one loop and stays there, so its
// handlers need no strand and the loops share no lock on the request path; work
// from other threads (group-commit callbacks) reaches a connection by post().
//
// Lifecycle: construct, set up sockets and timers, start() one thread per loop,
// stop() and join() at shutdown.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace sluice::server {

class IoLoops {
 public:
  explicit IoLoops(int loops);
  ~IoLoops();

  // Loop 0: signals, timers, listeners and anything not tied to a connection.
  boost::asio::io_context& main() { return *loops_.front(); }
  // Round-robin over all loops, for a new connection.
  boost::asio::io_context& next();
  size_t size() const { return loops_.size(); }

  void start();
  void stop();
  void join();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  std::vector<Guard> guards_;  // idle loops keep running until stop()
  std::vector<std::thread> threads_;
  std::atomic<size_t> next_{0};
};

}  // namespace sluice::server
