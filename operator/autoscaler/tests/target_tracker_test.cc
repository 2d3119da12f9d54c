// Target tracking with an injected clock: step load, ramps, bursts, noise (no
// flapping), unreadable metrics (fallback), min/max/zero edges, and in-flight
// messages keeping a Deployment alive.

#include "operator/autoscaler/target_tracker.h"

#include <gtest/gtest.h>

#include "operator/queue/queue_trigger.h"

#include <random>

namespace sluice::autoscaler {
namespace {

constexpr TimeMs kPoll = 15'000;

Spec spec_with(int min, int max, double target = 100) {
  Spec s;
  s.target.name = "worker";
  s.min_replicas = min;
  s.max_replicas = max;
  Trigger t;
  t.source = "queue";
  t.name = "jobs";
  t.target_backlog_per_replica = target;
  s.triggers.push_back(t);
  return s;
}

// What the queue trigger reads from a queue of this depth.
Reading depth(const Trigger& t, uint64_t visible, uint64_t in_flight = 0, uint64_t delayed = 0) {
  return queue_trigger::reading({visible, in_flight, delayed}, t.options);
}

// A deployment whose pods become ready at once, polled every 15 s.
class Sim {
 public:
  Sim(Spec spec, int replicas) : spec_(std::move(spec)), replicas_(replicas), tracker_(now_) {}

  Decision poll(uint64_t visible, uint64_t in_flight = 0, uint64_t delayed = 0) {
    now_ += kPoll;
    Observation o{now_, replicas_, replicas_, {depth(spec_.triggers[0], visible, in_flight, delayed)}};
    Decision d = tracker_.decide(spec_, o);
    replicas_ = d.desired;
    return d;
  }
  Decision poll_failed() {
    now_ += kPoll;
    Observation o{now_, replicas_, replicas_, {std::nullopt}};
    Decision d = tracker_.decide(spec_, o);
    replicas_ = d.desired;
    return d;
  }
  int replicas() const { return replicas_; }
  TimeMs now() const { return now_; }
  Spec& spec() { return spec_; }

 private:
  Spec spec_;
  TimeMs now_ = 1'000'000;
  int replicas_;
  TargetTracker tracker_;
};

TEST(TargetTracker, StepLoadScalesUpWithinTheHpaLimits) {
  Sim sim(spec_with(1, 50), 1);
  EXPECT_EQ(sim.poll(2000).desired, 5);   // max(1 + 4, 1 x 2): +4 pods wins
  EXPECT_EQ(sim.poll(2000).desired, 10);  // 5 -> max(9, 10): +100% wins
  EXPECT_EQ(sim.poll(2000).desired, 20);  // recommendation reached
  EXPECT_EQ(sim.poll(2000).desired, 20);
}

TEST(TargetTracker, ZeroToOneAsSoonAsTheBacklogPassesActivation) {
  auto spec = spec_with(0, 10);
  spec.triggers[0].activation_backlog = 5;
  Sim sim(spec, 0);
  EXPECT_EQ(sim.poll(5).desired, 0);  // not above the threshold
  auto d = sim.poll(6);
  EXPECT_TRUE(d.active);
  EXPECT_EQ(d.desired, 1);
}

TEST(TargetTracker, FromZeroTheFirstStepFollowsTheScaleUpLimit) {
  Sim sim(spec_with(0, 20), 0);
  EXPECT_EQ(sim.poll(100'000).desired, 4);
  EXPECT_EQ(sim.poll(100'000).desired, 8);
  EXPECT_EQ(sim.poll(100'000).desired, 16);
  EXPECT_EQ(sim.poll(100'000).desired, 20);  // max
}

TEST(TargetTracker, WithinTenPercentOfTargetNothingChanges) {
  Sim sim(spec_with(1, 50), 10);
  EXPECT_EQ(sim.poll(1090).desired, 10);  // 1.09 of target: inside the band
  EXPECT_EQ(sim.poll(910).desired, 10);
  EXPECT_EQ(sim.poll(1200).desired, 12);  // outside: ceil(1200 / 100)
}

TEST(TargetTracker, ScaleDownWaitsForTheWindowAndTakesItsHighest) {
  Sim sim(spec_with(1, 50), 10);
  sim.poll(1000);
  for (int i = 0; i < 19; ++i) EXPECT_EQ(sim.poll(300).desired, 10) << i;  // 285 s < 300 s window
  // The window now holds only 300s: scale in to the count that sits at 90% of
  // the target (ceil(300 / 90) = 4), not to the bare 3.
  EXPECT_EQ(sim.poll(300).desired, 4);
}

TEST(TargetTracker, ARestartedTrackerDoesNotScaleInOnItsFirstRead) {
  // An operator restart (or a new autoscaler over a running Deployment): the
  // window starts with the replicas found, so one low, noisy read changes nothing.
  auto spec = spec_with(1, 50);
  TargetTracker fresh(0);
  auto d = fresh.decide(spec, {15'000, 12, 12, {depth(spec.triggers[0], 900)}});
  EXPECT_EQ(d.desired, 12);
}

TEST(TargetTracker, TheInFlightFloorKeepsBusyReplicas) {
  // Workers that keep up leave little waiting: the backlog alone would ask for
  // one replica while ten are busy. The floor keeps them.
  auto spec = spec_with(1, 50);
  spec.behavior.scale_down.stabilization_window_seconds = 0;
  spec.triggers[0].target_in_flight_per_replica = 10;
  Sim sim(spec, 10);
  EXPECT_EQ(sim.poll(/*visible=*/5, /*in_flight=*/100).desired, 10);
  EXPECT_EQ(sim.poll(5, 40).desired, 4);
  // It is a floor for scaling in, never a reason to scale out.
  EXPECT_EQ(sim.poll(0, 400).desired, 4);  // metric 400 / target 100: 4, whatever the floor says
}

TEST(TargetTracker, RampsFollowTheLoad) {
  Sim sim(spec_with(1, 100), 1);
  int last = 1;
  for (int step = 1; step <= 40; ++step) {
    int d = sim.poll(uint64_t(step) * 250).desired;  // +2.5 replicas' worth per poll
    EXPECT_GE(d, last);                              // a rising load never scales in
    last = d;
  }
  EXPECT_NEAR(last, 100, 10);  // within the 10% tolerance of the final recommendation
}

TEST(TargetTracker, NoisyMetricsNeverReverseWithinTheWindow) {
  Sim sim(spec_with(1, 100), 20);
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> noise(0.8, 1.2);  // +-20%
  std::vector<int> seen;
  for (int i = 0; i < 200; ++i) seen.push_back(sim.poll(uint64_t(2000 * noise(rng))).desired);
  // A reversal: a change in one direction followed by one in the other within 300 s.
  int reversals = 0;
  for (size_t i = 1; i < seen.size(); ++i) {
    if (seen[i] == seen[i - 1]) continue;
    for (size_t j = i + 1; j < seen.size() && (j - i) * kPoll < 300'000; ++j) {
      if (seen[j] == seen[j - 1]) continue;
      if ((seen[i] > seen[i - 1]) != (seen[j] > seen[j - 1])) ++reversals;
      break;
    }
  }
  EXPECT_EQ(reversals, 0);
}

TEST(TargetTracker, BurstThenSilenceGoesToOneThenZeroAfterTheCooldown) {
  Sim sim(spec_with(0, 20), 0);
  for (int i = 0; i < 6; ++i) sim.poll(50'000);
  EXPECT_EQ(sim.replicas(), 20);
  // Empty from now on: the down window keeps 20 for 300 s, then N -> 1 (never N -> 0).
  for (int i = 0; i < 19; ++i) sim.poll(0);
  EXPECT_EQ(sim.replicas(), 20);
  auto d = sim.poll(0);
  EXPECT_EQ(d.desired, 1);
  // The cooldown (300 s since the queue was last busy) has passed: 1 -> 0.
  EXPECT_EQ(sim.poll(0).desired, 0);
  EXPECT_EQ(sim.poll(0).desired, 0);
}

TEST(TargetTracker, InFlightMessagesKeepTheLastReplicaAlive) {
  auto spec = spec_with(0, 5);
  spec.triggers[0].options["includeInFlight"] = false;  // even when not counted as backlog
  spec.behavior.scale_to_zero_cooldown_seconds = 60;
  Sim sim(spec, 1);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(sim.poll(0, /*in_flight=*/3).desired, 1) << i;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sim.poll(0).desired, 1);  // cooldown starts now: 45 s < 60 s
  EXPECT_EQ(sim.poll(0).desired, 0);
}

TEST(TargetTracker, ATargetThatWasNeverActiveDoesNotDropToZeroAtOnce) {
  // An existing Deployment with 3 replicas and an empty queue: the cooldown
  // counts from when the autoscaler first saw it, not from "never".
  auto spec = spec_with(0, 10);
  spec.behavior.scale_down.stabilization_window_seconds = 0;
  Sim sim(spec, 3);
  EXPECT_EQ(sim.poll(0).desired, 1);  // N -> 1
  for (int i = 0; i < 18; ++i) EXPECT_EQ(sim.poll(0).desired, 1) << i;
  EXPECT_EQ(sim.poll(0).desired, 0);  // 300 s after first seen
}

TEST(TargetTracker, MinAndMaxBound) {
  Sim sim(spec_with(2, 3), 2);
  EXPECT_EQ(sim.poll(0).desired, 2);
  EXPECT_EQ(sim.poll(100'000).desired, 3);
}

TEST(TargetTracker, UnreadableMetricsKeepReplicasThenFallBack) {
  auto spec = spec_with(0, 10);
  spec.fallback = Fallback{3, 4};
  Sim sim(spec, 7);
  EXPECT_EQ(sim.poll_failed().desired, 7);
  EXPECT_EQ(sim.poll_failed().desired, 7);
  auto d = sim.poll_failed();
  EXPECT_TRUE(d.fallback);
  EXPECT_EQ(d.desired, 4);
  auto recovered = sim.poll(700);
  EXPECT_FALSE(recovered.fallback);
}

TEST(TargetTracker, ReadyReplicasAreTheCapacityTheToleranceUses) {
  Spec spec = spec_with(1, 50);
  TargetTracker tracker(0);
  // 10 replicas requested, only 5 ready: 1000 messages are 2x the target per ready replica.
  Observation o{15'000, 10, 5, {depth(spec.triggers[0], 1000)}};
  auto d = tracker.decide(spec, o);
  EXPECT_EQ(d.backlog_per_replica, 200);
  EXPECT_EQ(d.desired, 10);  // ceil(1000 / 100): no scale-down because pods are still starting
}

TEST(TargetTracker, SeveralTriggersTheLargestWins) {
  Spec spec = spec_with(1, 50);
  Trigger second;
  second.source = "queue";
  second.name = "other";
  second.target_backlog_per_replica = 10;
  spec.triggers.push_back(second);
  TargetTracker tracker(0);
  Observation o{15'000, 1, 1, {depth(spec.triggers[0], 100), depth(second, 40)}};
  auto d = tracker.decide(spec, o);
  EXPECT_EQ(d.desired, 4);  // second trigger: ceil(40/10) = 4 > 1
  EXPECT_EQ(d.backlog, 40);
}

TEST(TargetTracker, DelayedMessagesCountOnlyWhenAsked) {
  Spec spec = spec_with(1, 50);
  TargetTracker a(0);
  EXPECT_EQ(a.decide(spec, {15'000, 1, 1, {depth(spec.triggers[0], 0, 0, 500)}}).desired, 1);
  spec.triggers[0].options["includeDelayed"] = true;
  TargetTracker b(0);
  EXPECT_EQ(b.decide(spec, {15'000, 1, 1, {depth(spec.triggers[0], 0, 0, 500)}}).desired, 5);
}

TEST(HpaFormula, CannotLeaveZero) {
  EXPECT_EQ(hpa_recommendation(1000, 100, 0, 0, 10), 0);
  EXPECT_EQ(hpa_recommendation(1000, 100, 2, 0, 10), 10);
  EXPECT_EQ(hpa_recommendation(0, 100, 5, 0, 10), 1);
}

}  // namespace
}  // namespace sluice::autoscaler
