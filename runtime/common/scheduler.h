#pragma once
// Deferred work for the engines: "run this soon" and "run this at time T".
// The sidecar implements it on Boost.Asio; tests use ManualScheduler, which runs
// timers only when its ManualClock is advanced.

#include <cstdint>
#include <functional>

#include "runtime/common/clock.h"

namespace sluice {

using TimerId = uint64_t;

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Runs `fn` on a worker thread, never inline in the caller.
  virtual void post(std::function<void()> fn) = 0;
  // Runs `fn` once the clock reaches `at` (immediately if it already has).
  virtual TimerId schedule_at(TimeMs at, std::function<void()> fn) = 0;
  // Best effort: a timer that is already running still completes.
  virtual void cancel(TimerId id) = 0;
};

}  // namespace sluice
