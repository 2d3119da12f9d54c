#include "runtime/stream/stream.h"

#include <gtest/gtest.h>

#include "runtime/stream/changes.h"
#include "runtime/stream/testing/stream_fixture.h"

namespace sluice::stream {
namespace {

class StreamTest : public testing::StreamFixture {};

TEST_F(StreamTest, RecordsGoToTheShardTheirHashKeyFallsIn) {
  auto s = create("routes", 4);
  for (uint32_t i = 0; i < 4; ++i) {
    auto o = put(s, "ignored", "x", even_range(i, 4).start);
    EXPECT_EQ(o.code, PutOutcome::Code::ok);
    EXPECT_EQ(o.shard, i);
  }
  // MD5("a") is below 2^126: shard 0 of 4.
  EXPECT_EQ(put(s, "a", "x").shard, 0u);
  EXPECT_EQ(put(s, "z", "x", kMaxHashKey).shard, 3u);
}

TEST_F(StreamTest, SequenceNumbersIncreaseStrictlyPerShardAndAcrossTime) {
  auto s = create("ordered", 2);
  uint64_t last = 0;
  for (int i = 0; i < 100; ++i) {
    auto o = put(s, "same-key", std::to_string(i));
    EXPECT_GT(o.counter, last);
    last = o.counter;
  }
  clock.advance(5);
  auto other = put(s, "x", "later", kMaxHashKey);
  EXPECT_GT(format_sequence(other.counter, other.shard), format_sequence(last, 0))
      << "a later record sorts after, in another shard too";
  EXPECT_EQ(drain(iterator(s, 0)).size(), 100u);
}

TEST_F(StreamTest, EachIteratorTypeStartsWhereAwsSays) {
  auto s = create("iterators");
  std::vector<PutOutcome> puts;
  for (int i = 0; i < 5; ++i) {
    puts.push_back(put(s, "k", "r" + std::to_string(i)));
    clock.advance(1000);
  }
  const std::string third = format_sequence(puts[2].counter, 0);
  EXPECT_EQ(drain(iterator(s, 0, IteratorType::trim_horizon)).front(), "r0");
  EXPECT_EQ(drain(iterator(s, 0, IteratorType::at_sequence, third)).front(), "r2");
  EXPECT_EQ(drain(iterator(s, 0, IteratorType::after_sequence, third)).front(), "r3");
  EXPECT_EQ(drain(iterator(s, 0, IteratorType::at_timestamp, "", clock.now() - 2500)).front(), "r3");
  EXPECT_TRUE(drain(iterator(s, 0, IteratorType::at_timestamp, "", clock.now() + 60'000)).empty());
  const std::string latest = iterator(s, 0, IteratorType::latest);
  EXPECT_TRUE(drain(latest).empty());
  put(s, "k", "after-latest");
  EXPECT_EQ(drain(latest), std::vector<std::string>{"after-latest"});
}

TEST_F(StreamTest, SequenceNumbersOfAnotherShardAreRefused) {
  auto s = create("two", 2);
  auto o = put(s, "k", "x", kMaxHashKey);  // shard 1
  auto it = s->iterator({shard_id(0), IteratorType::at_sequence, format_sequence(o.counter, o.shard), 0});
  ASSERT_FALSE(it.ok());
  EXPECT_EQ(it.error().code, errc::invalid_argument);
  EXPECT_FALSE(s->iterator({shard_id(0), IteratorType::at_sequence, "123", 0}).ok());
  EXPECT_EQ(s->iterator({shard_id(9), IteratorType::latest, "", 0}).error().code, errc::not_found);
}

TEST_F(StreamTest, IteratorsExpireAfterFiveMinutes) {
  auto s = create("expiry");
  put(s, "k", "x");
  const std::string it = iterator(s, 0);
  clock.advance(kIteratorLifetimeMs);
  EXPECT_TRUE(read(it).ok());
  clock.advance(1);
  auto r = read(it);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::expired);
  EXPECT_FALSE(read("garbage").ok());
}

TEST_F(StreamTest, GetRecordsStopsAtTheLimitAndTheNextIteratorGoesOn) {
  auto s = create("limits");
  for (int i = 0; i < 25; ++i) put(s, "k", std::to_string(i));
  auto first = read(iterator(s, 0), 10);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->records.size(), 10u);
  EXPECT_FALSE(first->caught_up);
  auto rest = drain(*first->next_iterator);
  ASSERT_EQ(rest.size(), 15u);
  EXPECT_EQ(rest.front(), "10");
}

TEST_F(StreamTest, GetRecordsReturnsAtMostTenMebibytesButAlwaysOneRecord) {
  auto s = create("big");
  ASSERT_TRUE(update(s, changes::max_record_size(10240)));
  const std::string four(4 << 20, 'x');
  for (int i = 0; i < 4; ++i) put(s, "k", four);
  auto r = read(iterator(s, 0));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->records.size(), 2u);  // a third would pass 10 MiB
  EXPECT_LE(r->bytes, kMaxGetBytes);
}

TEST_F(StreamTest, MillisBehindLatestIsZeroOnlyWhenCaughtUp) {
  auto s = create("lag");
  for (int i = 0; i < 3; ++i) put(s, "k", "x");
  clock.advance(7000);
  auto r = read(iterator(s, 0), 1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->millis_behind, 7000);
  auto all = read(*r->next_iterator);
  EXPECT_TRUE(all->caught_up);
  EXPECT_EQ(all->millis_behind, 0);
}

TEST_F(StreamTest, ReadersOfAClosedShardGetItsChildrenAtTheEndAndLoseNothing) {
  auto s = create("lineage");
  for (int i = 0; i < 3; ++i) put(s, "k", "before" + std::to_string(i));
  const std::string parent_it = iterator(s, 0);
  ASSERT_TRUE(update(s, changes::split(shard_id(0), HashKey(1) << 127)));
  put(s, "low", "after-low", 0);
  put(s, "high", "after-high", kMaxHashKey);
  auto r = read(parent_it);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->records.size(), 3u);
  EXPECT_FALSE(r->next_iterator) << "a closed shard read to its end has no next iterator";
  ASSERT_EQ(r->children.size(), 2u);
  EXPECT_EQ(r->children[0].parents, std::vector<uint32_t>{0});
  EXPECT_EQ(drain(iterator(s, r->children[0].index)), std::vector<std::string>{"after-low"});
  EXPECT_EQ(drain(iterator(s, r->children[1].index)), std::vector<std::string>{"after-high"});
  // Children's sequence numbers come after the parent's.
  auto v = s->view();
  EXPECT_GT(v.shards[1].starting, v.shards[0].ending);
}

TEST_F(StreamTest, FidelityModeThrottlesAsAwsDoes) {
  auto s = create("fidelity");
  changes::Settings on;
  on.fidelity = true;
  ASSERT_TRUE(update(s, changes::apply(on)));
  int ok = 0, throttled = 0;
  for (int i = 0; i < 1200; ++i) (put(s, "k", "x").code == PutOutcome::Code::ok ? ok : throttled)++;
  EXPECT_EQ(ok, 1000) << "1,000 records per second per shard";
  EXPECT_EQ(throttled, 200);
  clock.advance(1000);
  EXPECT_EQ(put(s, "k", "x").code, PutOutcome::Code::ok);
  const std::string it = iterator(s, 0);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(s->read(*decode_iterator(it), 1).ok());
  auto sixth = s->read(*decode_iterator(it), 1);
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.error().code, errc::throttled) << "5 GetRecords per second per shard";
}

}  // namespace
}  // namespace sluice::stream
