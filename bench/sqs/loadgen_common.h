#pragma once

// What the load generators (sluice-sqs-loadgen, sluice-sns-loadgen) share around
// their scenarios: the clock, running an io_context on N threads, and the small
// command-line helpers (free ports, --label values, the generator's CPU time).

#include <boost/asio/io_context.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace sluice::bench {

using Clock = std::chrono::steady_clock;

// Runs `io` on `threads` threads (the caller's included) until it has no work.
void run_io(boost::asio::io_context& io, int threads);

inline Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

inline double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Nanoseconds on the steady clock, as the SNS generator stamps them into messages.
inline int64_t steady_nanos(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Prints N free loopback ports on one line (bound at once so that they differ).
int print_free_ports(int n);

// A --label value as it goes into the JSON line: a number when it is one.
nlohmann::json label_value(const std::string& text);

// User + system CPU seconds this process has used so far.
double generator_cpu_seconds();

}  // namespace sluice::bench
