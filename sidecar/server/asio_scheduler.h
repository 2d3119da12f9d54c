#pragma once
// The engines' Scheduler on a Boost.Asio io_context: posted work and timers run
// on the io_context's threads. Deadlines are wall-clock times (the engines'
// Clock), converted to steady-clock waits when scheduled.

#include <boost/asio/io_context.hpp>

#include <memory>
#include <mutex>
#include <unordered_map>

#include "runtime/common/clock.h"
#include "runtime/common/scheduler.h"

namespace boost::asio {
template <typename Clock, typename WaitTraits, typename Executor>
class basic_waitable_timer;
}

namespace sluice::server {

class AsioScheduler final : public Scheduler {
 public:
  AsioScheduler(boost::asio::io_context& io, const Clock& clock) : io_(io), clock_(clock) {}
  ~AsioScheduler() override;

  void post(std::function<void()> fn) override;
  TimerId schedule_at(TimeMs at, std::function<void()> fn) override;
  void cancel(TimerId id) override;
  // Cancels every pending timer (at shutdown).
  void cancel_all();

 private:
  struct Timer;
  boost::asio::io_context& io_;
  const Clock& clock_;
  std::mutex mu_;
  TimerId next_ = 0;
  std::unordered_map<TimerId, std::shared_ptr<Timer>> timers_;
};

}  // namespace sluice::server
