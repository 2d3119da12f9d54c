#pragma once
// Changes of a stream's shard table, as pure functions of its record: the
// shards CreateStream makes, SplitShard, MergeShards and UpdateShardCount's
// uniform scaling (done as AWS does it, by splits and merges, so that every
// child has at most a parent and an adjacent parent and readers that follow
// ChildShards see each record once). A shard closed here has `ending` =
// kEndAtLast and a child `starting` = 0: the Stream fills both in from the
// counters it holds, in put order.

#include <cstdint>

#include "runtime/common/error.h"
#include "runtime/stream/stream_format.h"

namespace sluice::stream {

inline constexpr uint64_t kEndAtLast = UINT64_MAX;
inline constexpr uint32_t kMaxShardsPerStream = 10'000;

// `count` open shards with even ranges, starting at counter_at(now).
void make_shards(format::StreamRecord& record, uint32_t count, TimeMs now);
Status<Error> split_shard(format::StreamRecord& record, uint32_t shard, HashKey new_start, TimeMs now);
Status<Error> merge_shards(format::StreamRecord& record, uint32_t shard, uint32_t adjacent, TimeMs now);
// Reshapes the open shards into `target` even ones (AWS's limits: at most twice
// and at least half the open count, and kMaxShardsPerStream).
Status<Error> rescale(format::StreamRecord& record, uint32_t target, TimeMs now);

size_t open_shard_count(const format::StreamRecord& record);
format::ShardRecord* find_shard(format::StreamRecord& record, uint32_t index);

}  // namespace sluice::stream
