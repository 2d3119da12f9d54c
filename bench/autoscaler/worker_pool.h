#pragma once
// The worker Deployment and the queue it drains, advanced one simulated second
// at a time. A pod added at t is Ready at t + startup. A Ready pod receives up
// to `throughput` messages at the start of a second and deletes them at its end,
// so they are in flight in between. Scale-in removes the newest pods first,
// which are the ones not Ready yet, as a ReplicaSet prefers. The queue is FIFO,
// so the burst sent at t = 0 is worked off before anything sent after it.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace sluice::bench {

class WorkerPool {
 public:
  WorkerPool(int throughput, int startup_seconds) : throughput_(throughput), startup_(startup_seconds) {}

  // Pods that already exist, Ready, before t = 0.
  void start_ready(int n) { ready_at_.assign(size_t(n), -startup_); }

  void scale_to(int replicas, int now) {
    while (int(ready_at_.size()) > replicas) ready_at_.pop_back();
    while (int(ready_at_.size()) < replicas) ready_at_.push_back(now + startup_);
  }

  int replicas() const { return int(ready_at_.size()); }
  int ready(int now) const {
    return int(std::count_if(ready_at_.begin(), ready_at_.end(), [now](int at) { return at <= now; }));
  }
  uint64_t capacity(int now) const { return uint64_t(ready(now)) * uint64_t(throughput_); }

 private:
  std::vector<int> ready_at_;  // oldest first
  int throughput_;
  int startup_;
};

struct QueueState {
  uint64_t visible = 0;
  uint64_t in_flight = 0;
  uint64_t deleted = 0;

  void receive(uint64_t capacity) {
    in_flight = std::min(visible, capacity);
    visible -= in_flight;
  }
  void delete_in_flight() {
    deleted += in_flight;
    in_flight = 0;
  }
};

}  // namespace sluice::bench
