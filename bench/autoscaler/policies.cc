#include "bench/autoscaler/policies.h"

namespace sluice::bench {
namespace {

using autoscaler::TimeMs;
using queue_trigger::Depth;

TimeMs ms(int s) { return TimeMs(s) * 1000; }

// What KEDA's aws-sqs-queue scaler (scaleOnInFlight: true) and the HPA read.
double visible_plus_in_flight(const Depth& q) { return double(q.visible) + double(q.in_flight); }

class SluicePolicy : public Policy {
 public:
  SluicePolicy(const autoscaler::Spec& spec, bool in_flight_trigger)
      : spec_(spec), in_flight_trigger_(in_flight_trigger), tracker_(std::make_unique<autoscaler::TargetTracker>(0)) {}

  int tick(int now_s, const Depth& seen, int replicas, int ready) override {
    if (now_s % spec_.behavior.polling_interval_seconds != 0) return replicas;
    // Every trigger reads the one simulated queue, as the queue trigger reads a queue.
    autoscaler::Observation obs{ms(now_s), replicas, ready, {}};
    for (const auto& t : spec_.triggers) obs.readings.push_back(queue_trigger::reading(seen, t.options));
    if (in_flight_trigger_)
      obs.readings.back() = queue_trigger::reading(Depth{0, seen.in_flight, 0}, spec_.triggers.back().options);
    return tracker_->decide(spec_, obs).desired;
  }
  void restart(int now_s) override { tracker_ = std::make_unique<autoscaler::TargetTracker>(ms(now_s)); }

 private:
  autoscaler::Spec spec_;
  bool in_flight_trigger_;  // the last trigger reads in-flight only
  std::unique_ptr<autoscaler::TargetTracker> tracker_;
};

class HpaPolicy : public Policy {
 public:
  HpaPolicy(double target, int max_replicas, int sync_seconds)
      : target_(target), max_(max_replicas), sync_(sync_seconds), hpa_(1, max_replicas, target) {}

  int tick(int now_s, const Depth& seen, int replicas, int) override {
    if (now_s % sync_ != 0) return replicas;
    return hpa_.sync(ms(now_s), visible_plus_in_flight(seen), replicas);
  }
  void restart(int) override { hpa_ = HpaModel(1, max_, target_); }
  int initial_replicas() const override { return 1; }  // minReplicas: the HPA cannot be at 0

 private:
  double target_;
  int max_;
  int sync_;
  HpaModel hpa_;
};

class KedaPolicy : public Policy {
 public:
  KedaPolicy(const KedaSettings& s, int hpa_sync_seconds) : keda_(s), hpa_sync_(hpa_sync_seconds) {}

  int tick(int now_s, const Depth& seen, int replicas, int) override {
    const double metric = visible_plus_in_flight(seen);
    // When both loops fire in the same second, KEDA's goes first: the HPA then
    // acts on a Deployment KEDA has just woken, the best case for KEDA.
    if (now_s % keda_.settings().polling_interval_seconds == 0) replicas = keda_.poll(ms(now_s), metric, replicas);
    if (now_s % hpa_sync_ == 0) replicas = keda_.sync_hpa(ms(now_s), metric, replicas);
    return replicas;
  }
  void restart(int) override { keda_.restart_hpa(); }

 private:
  KedaModel keda_;
  int hpa_sync_;
};

}  // namespace

std::unique_ptr<Policy> make_sluice_policy(const autoscaler::Spec& spec) {
  return std::make_unique<SluicePolicy>(spec, false);
}

std::unique_ptr<Policy> make_sluice_in_flight_policy(const autoscaler::Spec& spec, double in_flight_per_replica) {
  autoscaler::Spec s = spec;
  autoscaler::Trigger t = s.triggers.at(0);
  t.target_backlog_per_replica = in_flight_per_replica;
  t.activation_backlog = 0;
  s.triggers.push_back(t);
  return std::make_unique<SluicePolicy>(s, true);
}

std::unique_ptr<Policy> make_hpa_policy(double target, int max_replicas, int sync_seconds) {
  return std::make_unique<HpaPolicy>(target, max_replicas, sync_seconds);
}

std::unique_ptr<Policy> make_keda_policy(const KedaSettings& settings, int hpa_sync_seconds) {
  return std::make_unique<KedaPolicy>(settings, hpa_sync_seconds);
}

}  // namespace sluice::bench
