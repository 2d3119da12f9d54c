#include "bench/autoscaler/load_profile.h"

#include <cmath>
#include <random>

namespace sluice::bench {

std::optional<int> LoadProfile::silence_starts() const {
  if (rate_seconds < duration_seconds) return rate_seconds;
  return std::nullopt;
}

uint64_t LoadProfile::arrivals(int t) const {
  uint64_t n = t == 0 ? burst : 0;
  // Whole messages at a fractional rate: what has been sent by the end of the second.
  if (t < rate_seconds) n += uint64_t(std::floor(rate * (t + 1))) - uint64_t(std::floor(rate * t));
  return n;
}

uint64_t LoadProfile::total_sent() const {
  uint64_t n = 0;
  for (int t = 0; t < duration_seconds; ++t) n += arrivals(t);
  return n;
}

std::optional<LoadProfile> named_profile(const std::string& name) {
  LoadProfile p;
  p.name = name;
  if (name == "burst") {  // a backlog to drain, a trickle, then nothing
    p.burst = 100'000;
    p.rate = 20;
    p.rate_seconds = 1200;
    p.duration_seconds = 2400;
  } else if (name == "short") {  // the same shape, small enough for CTest
    p.burst = 20'000;
    p.rate = 20;
    p.rate_seconds = 300;
    p.duration_seconds = 900;
  } else if (name == "noise") {  // a steady backlog of 10 replicas' worth, read with +-20% error
    p.held_backlog = 1000;
    p.noise = 0.2;
    p.rate_seconds = 7200;
    p.duration_seconds = 7200;
  } else if (name == "steady") {  // a steady arrival rate of 10 replicas' worth, read with +-20% error
    p.rate = 100;
    p.noise = 0.2;
    p.rate_seconds = 7200;
    p.duration_seconds = 7200;
  } else {
    return std::nullopt;
  }
  return p;
}

std::vector<double> noise_factors(const LoadProfile& profile) {
  std::vector<double> f(size_t(profile.duration_seconds), 1.0);
  if (profile.noise <= 0) return f;
  std::mt19937_64 rng(profile.seed);
  std::uniform_real_distribution<double> u(1.0 - profile.noise, 1.0 + profile.noise);
  for (double& x : f) x = u(rng);
  return f;
}

}  // namespace sluice::bench
