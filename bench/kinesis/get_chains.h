#pragma once

// Reads shards to their end the way a consumer does: one chain per shard, all at
// once, each GetShardIterator(TRIM_HORIZON) and then GetRecords(Limit) after
// GetRecords along NextShardIterator. Shared by get and by retain's read-back.

#include "bench/kinesis/kinesis_json.h"
#include "bench/kinesis/scenarios.h"
#include "bench/sqs/run_stats.h"

#include <string>
#include <vector>

namespace sluice::bench {

struct ReadResult {
  uint64_t records = 0;
  uint64_t calls = 0;        // GetRecords calls answered 200
  uint64_t empty_calls = 0;  // of which returned no record
  kinesis::ShardCounts per_shard;
  uint64_t out_of_order = 0;     // batches whose sequence numbers did not increase
  uint64_t data_wrong_size = 0;  // records whose Data was not o.record_bytes long
  double seconds = 0;            // from the first GetShardIterator to the end of the last chain
  bool timed_out = false;
  RunStats stats;  // GetRecords latency; errors by kind
};

// A chain ends at an empty batch at the tip (MillisBehindLatest 0, or absent)
// once it has read what `expected` says its shard holds (a few more empty
// batches are allowed before it gives up short), or when the shard is closed (no
// NextShardIterator). With no `expected`, the first empty batch at the tip ends it.
ReadResult read_shards(const KinesisOptions& o, const std::string& stream, const std::vector<std::string>& shard_ids,
                       const kinesis::ShardCounts* expected);

}  // namespace sluice::bench
