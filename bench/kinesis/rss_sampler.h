#pragma once

// Samples another process's resident set (VmRSS in /proc/PID/status) every
// 100 ms on a thread of its own, so that the fill it watches is not slowed by it
// and a peak between two samples of the caller is still seen.
//
// Lifecycle: start() once, stop() once (joins); read max_kib()/samples() after stop().

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace sluice::bench {

// A field of /proc/PID/status in KiB ("VmRSS", "VmHWM"); 0 if unreadable.
uint64_t proc_status_kib(int pid, const std::string& field);

class RssSampler {
 public:
  explicit RssSampler(int pid) : pid_(pid) {}
  ~RssSampler() { stop(); }

  void start();
  void stop();
  uint64_t max_kib() const { return max_kib_; }
  uint64_t samples() const { return samples_; }

 private:
  int pid_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  uint64_t max_kib_ = 0;
  uint64_t samples_ = 0;
};

}  // namespace sluice::bench
