#pragma once
// A deterministic Scheduler for unit tests: posted work and due timers run only
// inside run_pending() / advance(), on the calling thread, in time order.

#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/scheduler.h"

namespace sluice::testing {

class ManualScheduler final : public Scheduler {
 public:
  explicit ManualScheduler(ManualClock& clock) : clock_(clock) {}

  void post(std::function<void()> fn) override {
    std::lock_guard lock(mu_);
    posted_.push_back(std::move(fn));
  }

  TimerId schedule_at(TimeMs at, std::function<void()> fn) override {
    std::lock_guard lock(mu_);
    TimerId id = ++next_id_;
    timers_.emplace(std::make_pair(at, id), std::move(fn));
    return id;
  }

  void cancel(TimerId id) override {
    std::lock_guard lock(mu_);
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == id) {
        timers_.erase(it);
        return;
      }
    }
  }

  // Runs posted work and every timer that is due now, until nothing is left.
  void run_pending() {
    for (;;) {
      std::function<void()> fn;
      {
        std::lock_guard lock(mu_);
        if (!posted_.empty()) {
          fn = std::move(posted_.front());
          posted_.erase(posted_.begin());
        } else if (!timers_.empty() && timers_.begin()->first.first <= clock_.now()) {
          fn = std::move(timers_.begin()->second);
          timers_.erase(timers_.begin());
        } else {
          return;
        }
      }
      fn();
    }
  }

  // Moves the clock forward in steps, firing timers at their own due times.
  void advance(TimeMs by) {
    TimeMs target = clock_.now() + by;
    run_pending();
    for (;;) {
      TimeMs next;
      {
        std::lock_guard lock(mu_);
        if (timers_.empty() || timers_.begin()->first.first > target) break;
        next = timers_.begin()->first.first;
      }
      if (next > clock_.now()) clock_.set(next);
      run_pending();
    }
    clock_.set(target);
    run_pending();
  }

  size_t pending_timers() const {
    std::lock_guard lock(mu_);
    return timers_.size();
  }

 private:
  ManualClock& clock_;
  mutable std::mutex mu_;
  std::vector<std::function<void()>> posted_;
  std::map<std::pair<TimeMs, TimerId>, std::function<void()>> timers_;
  TimerId next_id_ = 0;
};

}  // namespace sluice::testing
