#include "runtime/stream/resharding.h"

#include <algorithm>
#include <vector>

#include "runtime/stream/sequence_number.h"
#include "runtime/stream/shard.h"

namespace sluice::stream {
namespace {

using format::ShardRecord;
using format::StreamRecord;

ShardRecord& add_child(StreamRecord& record, HashRange range, uint32_t parent, uint32_t adjacent, TimeMs now) {
  ShardRecord child;
  child.index = record.next_shard++;
  child.parent = parent;
  child.adjacent_parent = adjacent;
  child.range = range;
  child.starting = 0;  // after its parents' last records: the Stream fills it in
  child.created_ms = now;
  record.shards.push_back(child);
  return record.shards.back();
}

Failure<Error> no_such_shard(uint32_t index) {
  return fail(errc::not_found, "ShardId", "Could not find shard " + shard_id(index) + ".");
}

Status<Error> check_open(const ShardRecord* s, uint32_t index, std::string_view field) {
  if (!s) return no_such_shard(index);
  if (!s->open())
    return fail(errc::state_conflict, std::string(field),
                "Shard " + shard_id(index) + " is closed and cannot be changed further.");
  return {};
}

Status<Error> room_for(const StreamRecord& record, size_t more) {
  if (open_shard_count(record) + more > kMaxShardsPerStream)
    return fail(errc::limit_exceeded, "ShardCount",
                "The stream would have more than " + std::to_string(kMaxShardsPerStream) + " open shards.");
  return {};
}

std::vector<ShardRecord*> open_by_range(StreamRecord& record) {
  std::vector<ShardRecord*> open;
  for (auto& s : record.shards)
    if (s.open()) open.push_back(&s);
  std::sort(open.begin(), open.end(), [](auto* a, auto* b) { return a->range.start < b->range.start; });
  return open;
}

}  // namespace

size_t open_shard_count(const StreamRecord& record) {
  return size_t(std::count_if(record.shards.begin(), record.shards.end(), [](const auto& s) { return s.open(); }));
}

ShardRecord* find_shard(StreamRecord& record, uint32_t index) {
  for (auto& s : record.shards)
    if (s.index == index) return &s;
  return nullptr;
}

void make_shards(StreamRecord& record, uint32_t count, TimeMs now) {
  for (uint32_t i = 0; i < count; ++i) {
    ShardRecord s;
    s.index = record.next_shard++;
    s.range = even_range(i, count);
    s.starting = counter_at(now);
    s.created_ms = now;
    record.shards.push_back(s);
  }
}

Status<Error> split_shard(StreamRecord& record, uint32_t index, HashKey new_start, TimeMs now) {
  ShardRecord* parent = find_shard(record, index);
  if (auto s = check_open(parent, index, "ShardToSplit"); !s) return s;
  if (auto s = room_for(record, 1); !s) return s;
  if (new_start <= parent->range.start || new_start > parent->range.end)
    return invalid("NewStartingHashKey", to_decimal(new_start),
                   "NewStartingHashKey must be greater than the starting hash key of " + shard_id(index) +
                       " and at most its ending hash key.");
  const HashRange range = parent->range;
  parent->ending = kEndAtLast;
  add_child(record, {range.start, new_start - 1}, index, format::kNoShard, now);
  add_child(record, {new_start, range.end}, index, format::kNoShard, now);
  return {};
}

Status<Error> merge_shards(StreamRecord& record, uint32_t index, uint32_t adjacent, TimeMs now) {
  ShardRecord* a = find_shard(record, index);
  ShardRecord* b = find_shard(record, adjacent);
  if (auto s = check_open(a, index, "ShardToMerge"); !s) return s;
  if (auto s = check_open(b, adjacent, "AdjacentShardToMerge"); !s) return s;
  const bool a_first = a->range.end != kMaxHashKey && a->range.end + 1 == b->range.start;
  const bool b_first = b->range.end != kMaxHashKey && b->range.end + 1 == a->range.start;
  if (!a_first && !b_first)
    return invalid("AdjacentShardToMerge", shard_id(adjacent),
                   "Shards " + shard_id(index) + " and " + shard_id(adjacent) + " are not adjacent.");
  const HashRange range{a_first ? a->range.start : b->range.start, a_first ? b->range.end : a->range.end};
  a->ending = kEndAtLast;
  b->ending = kEndAtLast;
  add_child(record, range, index, adjacent, now);
  return {};
}

Status<Error> rescale(StreamRecord& record, uint32_t target, TimeMs now) {
  const size_t open = open_shard_count(record);
  if (target == 0 || target > kMaxShardsPerStream)
    return invalid("TargetShardCount", std::to_string(target),
                   "TargetShardCount must be between 1 and " + std::to_string(kMaxShardsPerStream) + ".");
  if (target > 2 * open || 2 * size_t(target) < open)
    return fail(
        errc::limit_exceeded, "TargetShardCount",
        "UpdateShardCount can at most double or halve the " + std::to_string(open) + " open shards in one call.");
  if (target == open) {
    bool even = true;
    auto shards = open_by_range(record);
    for (size_t i = 0; i < shards.size(); ++i) even = even && shards[i]->range == even_range(i, target);
    if (even) return {};
  }
  // 1. Split every open shard at the target boundaries inside it.
  for (uint32_t i = 1; i < target; ++i) {
    const HashKey boundary = even_range(i, target).start;
    for (ShardRecord* s : open_by_range(record))
      if (s->range.start < boundary && boundary <= s->range.end) {
        if (auto st = split_shard(record, s->index, boundary, now); !st) return st;
        break;
      }
  }
  // 2. Merge, left to right, the pieces each target range now holds.
  for (uint32_t i = 0; i < target; ++i) {
    const HashRange want = even_range(i, target);
    for (;;) {
      std::vector<ShardRecord*> inside;
      for (ShardRecord* s : open_by_range(record))
        if (want.contains(s->range.start)) inside.push_back(s);
      if (inside.size() < 2) break;
      if (auto st = merge_shards(record, inside[0]->index, inside[1]->index, now); !st) return st;
    }
  }
  return {};
}

}  // namespace sluice::stream
