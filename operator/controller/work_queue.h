#pragma once
// The controllers' queue of object keys ("namespace/name"), with the guarantees
// controller-runtime's workqueue gives: a key is queued at most once however
// often it is added; a key being processed is not handed to a second worker (an
// add during processing queues it again afterwards); keys can be added after a
// delay; failing keys back off exponentially per key (5 ms doubling to 5 min).

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace sluice::controller {

class WorkQueue {
 public:
  using Clock = std::chrono::steady_clock;

  void add(const std::string& key);
  void add_after(const std::string& key, std::chrono::milliseconds delay);
  // Adds after the key's next backoff step.
  void add_rate_limited(const std::string& key);
  // Resets the key's backoff (after a success).
  void forget(const std::string& key);
  // Blocks until a key is ready or the queue shuts down (nullopt).
  std::optional<std::string> get();
  void done(const std::string& key);
  void shutdown();

  size_t depth() const;
  int failures(const std::string& key) const;
  std::chrono::milliseconds backoff_for(int failures) const;

 private:
  void add_locked(const std::string& key);
  void promote_due_locked();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::set<std::string> dirty_;
  std::set<std::string> processing_;
  std::multimap<Clock::time_point, std::string> delayed_;
  std::map<std::string, int> failures_;
  bool shutting_down_ = false;
};

}  // namespace sluice::controller
