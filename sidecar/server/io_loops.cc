#include "sidecar/server/io_loops.h"

namespace sluice::server {

IoLoops::IoLoops(int loops) {
  for (int i = 0; i < std::max(1, loops); ++i) {
    // Concurrency hint 1: one thread runs the loop; posts from others stay safe.
    loops_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.push_back(boost::asio::make_work_guard(*loops_.back()));
  }
}

IoLoops::~IoLoops() {
  stop();
  join();
}

boost::asio::io_context& IoLoops::next() {
  return *loops_[next_.fetch_add(1, std::memory_order_relaxed) % loops_.size()];
}

void IoLoops::start() {
  for (auto& loop : loops_) threads_.emplace_back([&io = *loop] { io.run(); });
}

void IoLoops::stop() {
  guards_.clear();
  for (auto& loop : loops_) loop->stop();
}

void IoLoops::join() {
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace sluice::server
