#pragma once
// One shard as the engine serves it: its record (range, lineage, start and end),
// how far it has been written and committed, what retention has removed, its
// throughput limits and traffic counters, and the subscribers waiting for its
// new records. Owned by its Stream; readers hold it by shared_ptr, so a shard
// removed by retention stays valid for a read in flight.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/stream/stream_format.h"
#include "runtime/stream/throughput.h"

namespace sluice::stream {

std::string shard_id(uint32_t index);  // shardId-000000000007
// nullopt unless `id` is shardId- and 12 digits.
std::optional<uint32_t> parse_shard_id(std::string_view id);

struct Shard {
  explicit Shard(format::ShardRecord r) : record(std::move(r)) {}

  // Stream::mu_ guards these two.
  format::ShardRecord record;
  uint64_t last = 0;  // the last counter given to a record

  // Every counter at or below `visible` is committed (or failed): readers read up to it.
  std::atomic<uint64_t> visible{0};
  std::atomic<uint64_t> ending{0};        // record.ending, for readers: 0 while open
  std::atomic<uint64_t> trim{0};          // counters below it were removed by retention
  std::atomic<TimeMs> tip_arrival_ms{0};  // arrival of the newest visible record

  // Everything put since the process started, for per-shard metrics.
  std::atomic<uint64_t> total_bytes_in{0}, total_records_in{0};
  // Traffic since the on-demand scaler last looked (under Stream::mu_).
  uint64_t bytes_in = 0;
  uint64_t records_in = 0;
  int cold_checks = 0;  // consecutive scaler checks that found it cold (the scaler's own)

  std::mutex limits_mu;  // reads take it; writes are already under Stream::mu_
  ShardLimits limits;

  // Called, on the committing thread, each time `visible` moves or the shard closes.
  std::mutex watchers_mu;
  std::vector<std::pair<uint64_t, std::function<void()>>> watchers;
  uint64_t next_watcher = 1;

  uint64_t add_watcher(std::function<void()> fn);
  void remove_watcher(uint64_t id);
  void notify();
};

}  // namespace sluice::stream
