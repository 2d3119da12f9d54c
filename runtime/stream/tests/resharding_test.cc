#include "runtime/stream/resharding.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sluice::stream {
namespace {

using format::ShardRecord;
using format::StreamRecord;

std::vector<ShardRecord> open_sorted(const StreamRecord& r) {
  std::vector<ShardRecord> open;
  for (const auto& s : r.shards)
    if (s.open()) open.push_back(s);
  std::sort(open.begin(), open.end(), [](const auto& a, const auto& b) { return a.range.start < b.range.start; });
  return open;
}

// The open shards cover [0, 2^128) with no gap and no overlap.
void expect_cover(const StreamRecord& r) {
  auto open = open_sorted(r);
  ASSERT_FALSE(open.empty());
  EXPECT_EQ(open.front().range.start, HashKey(0));
  EXPECT_EQ(open.back().range.end, kMaxHashKey);
  for (size_t i = 0; i + 1 < open.size(); ++i) EXPECT_EQ(open[i].range.end + 1, open[i + 1].range.start);
}

// Every closed shard's hash range is covered by its children: lineage loses nothing.
void expect_lineage(const StreamRecord& r) {
  for (const auto& s : r.shards) {
    if (s.open()) continue;
    HashKey covered_from = s.range.start;
    std::vector<ShardRecord> kids;
    for (const auto& c : r.shards)
      if (c.parent == s.index || c.adjacent_parent == s.index) kids.push_back(c);
    ASSERT_FALSE(kids.empty()) << "closed shard " << s.index << " has no child";
    std::sort(kids.begin(), kids.end(), [](const auto& a, const auto& b) { return a.range.start < b.range.start; });
    for (const auto& k : kids) {
      EXPECT_LE(k.range.start, covered_from);
      if (k.range.end >= covered_from) covered_from = k.range.end == kMaxHashKey ? kMaxHashKey : k.range.end + 1;
    }
    EXPECT_TRUE(covered_from > s.range.end || covered_from == kMaxHashKey);
  }
}

TEST(Resharding, SplitMakesTwoChildrenOfTheParent) {
  StreamRecord r;
  make_shards(r, 1, 1000);
  const HashKey mid = HashKey(1) << 127;
  ASSERT_TRUE(split_shard(r, 0, mid, 2000));
  ASSERT_EQ(r.shards.size(), 3u);
  EXPECT_EQ(r.shards[0].ending, kEndAtLast);
  EXPECT_EQ(r.shards[1].parent, 0u);
  EXPECT_EQ(r.shards[1].range.end, mid - 1);
  EXPECT_EQ(r.shards[2].range.start, mid);
  expect_cover(r);
  // A closed shard cannot be split again (kinesalite#109).
  EXPECT_FALSE(split_shard(r, 0, mid, 3000));
  // The new start must be inside the parent, above its start.
  EXPECT_FALSE(split_shard(r, 1, 0, 3000));
  EXPECT_FALSE(split_shard(r, 99, mid, 3000));
}

TEST(Resharding, MergeNeedsAdjacentOpenShards) {
  StreamRecord r;
  make_shards(r, 3, 1000);
  EXPECT_FALSE(merge_shards(r, 0, 2, 2000));  // not adjacent
  ASSERT_TRUE(merge_shards(r, 1, 0, 2000));   // either order
  const auto& child = r.shards.back();
  EXPECT_EQ(child.parent, 1u);
  EXPECT_EQ(child.adjacent_parent, 0u);
  EXPECT_EQ(child.range.start, HashKey(0));
  EXPECT_EQ(child.range.end, even_range(1, 3).end);
  expect_cover(r);
  EXPECT_FALSE(merge_shards(r, 0, child.index, 3000));  // 0 is closed
}

TEST(Resharding, UniformScalingReachesEvenRangesThroughSplitsAndMerges) {
  for (auto [from, to] : std::vector<std::pair<uint32_t, uint32_t>>{{1, 2}, {4, 3}, {4, 8}, {5, 3}, {3, 5}, {8, 4}}) {
    StreamRecord r;
    make_shards(r, from, 1000);
    ASSERT_TRUE(rescale(r, to, 2000)) << from << "->" << to;
    auto open = open_sorted(r);
    ASSERT_EQ(open.size(), to) << from << "->" << to;
    for (uint32_t i = 0; i < to; ++i) EXPECT_EQ(open[i].range, even_range(i, to)) << from << "->" << to;
    expect_lineage(r);
  }
}

TEST(Resharding, UpdateShardCountAtMostDoublesOrHalves) {
  StreamRecord r;
  make_shards(r, 4, 1000);
  EXPECT_FALSE(rescale(r, 9, 2000));
  EXPECT_FALSE(rescale(r, 1, 2000));
  EXPECT_FALSE(rescale(r, 0, 2000));
  EXPECT_TRUE(rescale(r, 4, 2000));  // already even: nothing to do
  EXPECT_EQ(r.shards.size(), 4u);
}

}  // namespace
}  // namespace sluice::stream
