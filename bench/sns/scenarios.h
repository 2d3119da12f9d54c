#pragma once

// The SNS load generator's scenarios. Each returns one JSON object describing the
// run (figures, errors, verification); loadgen.cc prints it as one JSON line.

#include "bench/sqs/loadgen_common.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace sluice::bench {

struct SnsOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int threads = 1;         // io_context threads of the publishers
  int connections = 64;    // publish; the paced phase's connection bound
  double duration_s = 10;  // publish: measured window; http-fanout: the paced phase
  double warmup_s = 2;     // publish: before the window
  size_t body_bytes = 1024;
  int subscriptions = 1;   // publish: SQS subscriptions of the topic
  double timeout_s = 300;  // bound on each wait for deliveries
  double settle_s = 10;    // a wait for deliveries gives up after this long without progress
  // http-fanout
  int endpoints = 16;                // HTTP subscriptions, one receiver port each
  uint64_t fanout_messages = 10000;  // throughput phase: publishes
  int fanout_connections = 16;       // throughput phase: closed-loop connections
  double fanout_rate = 0;            // paced phase: publishes/s (0: half the measured throughput)
};

// Publish (closed loop) to a topic with `subscriptions` SQS subscriptions (raw
// delivery), then wait until every queue holds every acknowledged message.
nlohmann::json run_publish(const SnsOptions& o);
// HTTP fan-out to `endpoints` local receivers: a throughput phase (a fixed number
// of publishes, closed loop) and a latency phase (paced).
nlohmann::json run_http_fanout(const SnsOptions& o);

}  // namespace sluice::bench
