#pragma once
// Leader election with a coordination.k8s.io/v1 Lease, as client-go does it:
// take the lease when it is free or expired, renew it every retry period, and
// stop leading if it cannot be renewed before the renew deadline. Updates carry
// the lease's resourceVersion, so two candidates never both win.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "operator/kube/kube_client.h"

namespace sluice::controller {

struct LeaderElectionOptions {
  std::string ns;
  std::string name = "sluice-operator";
  std::string identity;
  std::chrono::seconds lease_duration{15};
  std::chrono::seconds renew_deadline{10};
  std::chrono::seconds retry_period{2};
};

class LeaderElector {
 public:
  LeaderElector(kube::KubeClient& client, LeaderElectionOptions options)
      : client_(client), options_(std::move(options)) {}

  // Blocks until leadership is acquired (true) or stop is set (false).
  bool acquire(const std::atomic<bool>& stop);
  // Renews until leadership is lost (returns false) or stop is set (releases the lease, returns true).
  bool hold(const std::atomic<bool>& stop);
  bool is_leader() const { return leader_.load(); }

  // One attempt to take or renew the lease; exposed for tests.
  bool try_acquire_or_renew();

 private:
  void release();

  kube::KubeClient& client_;
  LeaderElectionOptions options_;
  std::atomic<bool> leader_{false};
};

}  // namespace sluice::controller
