#pragma once

// Fills a queue with `messages` messages through SendMessageBatch (10 entries per
// request) on `connections` connections. Shared by the drain and memory scenarios.

#include "bench/sqs/run_stats.h"
#include "bench/sqs/scenarios.h"

#include <string>

namespace sluice::bench {

struct FillResult {
  uint64_t acknowledged = 0;  // entries the server reported as sent
  double seconds = 0;
  bool timed_out = false;
  RunStats stats;  // per-request latency and errors (failed entries included)
};

FillResult fill_queue(const Options& o, const std::string& queue_url, uint64_t messages);

}  // namespace sluice::bench
