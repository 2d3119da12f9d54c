#pragma once

// PutRecords on N keep-alive connections, one request in flight each (closed
// loop): for a measured window after a warm-up (the put scenario), or until a
// number of records is sent (the fills of get and retain). Every connection
// sends its own body of random records, built once and sent again and again.

#include "bench/kinesis/kinesis_json.h"
#include "bench/kinesis/scenarios.h"
#include "bench/sqs/run_stats.h"

#include <nlohmann/json.hpp>

#include <string>

namespace sluice::bench {

struct PutResult {
  uint64_t requests = 0;           // good replies counted (in the window, or all of a fill)
  uint64_t acknowledged = 0;       // records with a SequenceNumber in those replies
  uint64_t throttled = 0;          // records refused with ProvisionedThroughputExceededException
  uint64_t failed = 0;             // records refused with any other ErrorCode (errors)
  uint64_t acknowledged_all = 0;   // warm-up and after the window included: what the stream holds
  kinesis::ShardCounts per_shard;  // acknowledged_all, by shard
  double seconds = 0;              // the window, or the fill from first request to last reply
  bool timed_out = false;
  uint64_t connects = 0;
  RunStats stats;  // latency of the counted requests; errors by kind
};

// Closed loop for o.warmup_s + o.duration_s; counts replies that arrive in the window.
PutResult put_for_window(const KinesisOptions& o, const std::string& stream);

// Sends `records` records in batches of o.batch (the last one smaller), each batch once.
PutResult put_records(const KinesisOptions& o, const std::string& stream, uint64_t records);

// A fill's figures as fill_* fields of a scenario's result, and its acknowledged
// records per shard as "fill_per_shard".
void add_fill(nlohmann::json& out, const PutResult& fill, uint64_t asked);

}  // namespace sluice::bench
