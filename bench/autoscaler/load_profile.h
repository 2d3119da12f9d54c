#pragma once
// What the simulated producers send, second by second, and the error the
// autoscalers see on the backlog they read. Profiles are named; run-sim.sh and
// the command line can override every number.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::bench {

struct LoadProfile {
  std::string name;
  uint64_t burst = 0;         // messages sent at t = 0
  double rate = 0;            // messages per second from t = 0 ...
  int rate_seconds = 0;       // ... for this long; silence after it
  int duration_seconds = 0;   // simulated seconds in all
  int64_t held_backlog = -1;  // >= 0: instead of `rate`, producers refill the queue to this depth every second
  double noise = 0;           // every metric read is multiplied by U(1 - noise, 1 + noise)
  uint64_t seed = 1;

  // When the producers stop, if they stop before the end.
  std::optional<int> silence_starts() const;
  // Messages sent during second t (burst and rate profiles).
  uint64_t arrivals(int t) const;
  uint64_t total_sent() const;
};

// "burst", "short", "noise" or "steady"; nullopt for any other name.
std::optional<LoadProfile> named_profile(const std::string& name);

// One multiplier per second, drawn once from the seed, so that every policy
// polling in the same second sees the same error.
std::vector<double> noise_factors(const LoadProfile& profile);

}  // namespace sluice::bench
