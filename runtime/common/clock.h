#pragma once
// Time for the engines. Engine code never reads the system clock directly: it is
// handed a Clock, so that tests drive visibility timeouts, delays and retention
// with a ManualClock instead of sleeping.
//
// Times are milliseconds since the Unix epoch (wall time), because that is what
// SQS reports (SentTimestamp, ...) and what must survive a restart.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sluice {

using TimeMs = int64_t;  // milliseconds since the Unix epoch

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs now() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start = 1'700'000'000'000) : now_(start) {}
  TimeMs now() const override { return now_.load(std::memory_order_acquire); }
  void set(TimeMs t) { now_.store(t, std::memory_order_release); }
  void advance(TimeMs d) { now_.fetch_add(d, std::memory_order_acq_rel); }

 private:
  std::atomic<TimeMs> now_;
};

}  // namespace sluice
