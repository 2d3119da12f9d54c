#include "runtime/stream/hash_key.h"

#include <gtest/gtest.h>

#include "runtime/stream/sequence_number.h"
#include "runtime/stream/shard.h"
#include "runtime/stream/shard_iterator.h"

namespace sluice::stream {
namespace {

TEST(HashKey, DecimalRoundTripsAtTheEdges) {
  EXPECT_EQ(to_decimal(0), "0");
  EXPECT_EQ(to_decimal(kMaxHashKey), "340282366920938463463374607431768211455");
  EXPECT_EQ(parse_hash_key("340282366920938463463374607431768211455"), kMaxHashKey);
  EXPECT_EQ(parse_hash_key("0"), HashKey(0));
  EXPECT_FALSE(parse_hash_key("340282366920938463463374607431768211456"));  // 2^128
  EXPECT_FALSE(parse_hash_key("01"));
  EXPECT_FALSE(parse_hash_key(""));
  EXPECT_FALSE(parse_hash_key("-1"));
  EXPECT_FALSE(parse_hash_key("12a"));
}

TEST(HashKey, PartitionKeyIsItsMd5ReadBigEndian) {
  // MD5("a") = 0cc175b9c0f1b6a831c399e269772661, as AWS and kinesalite route it.
  EXPECT_EQ(to_decimal(hash_of_partition_key("a")), "16955237001963240173058271559858726497");
}

TEST(HashKey, EvenRangesCoverTheSpaceAsCreateStreamSplitsIt) {
  for (size_t n : {1, 2, 3, 4, 7, 10}) {
    EXPECT_EQ(even_range(0, n).start, HashKey(0));
    EXPECT_EQ(even_range(n - 1, n).end, kMaxHashKey);
    for (size_t i = 0; i + 1 < n; ++i) EXPECT_EQ(even_range(i, n).end + 1, even_range(i + 1, n).start);
  }
  // Two shards split at 2^127, as AWS's ListShards shows.
  EXPECT_EQ(to_decimal(even_range(1, 2).start), "170141183460469231731687303715884105728");
}

TEST(SequenceNumber, FixedWidthSoTextOrderIsNumericOrder) {
  const std::string a = format_sequence(5, 3), b = format_sequence(17, 0);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_LT(a, b);
  auto parsed = parse_sequence(b);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->counter, 17u);
  EXPECT_EQ(parsed->shard, 0u);
  EXPECT_FALSE(parse_sequence("12345"));
  EXPECT_FALSE(parse_sequence(std::string(32, '9')));
  EXPECT_FALSE(parse_sequence("49" + std::string(29, '0') + "x"));
  EXPECT_EQ(time_of(counter_at(1'700'000'000'123)), 1'700'000'000'123);
}

TEST(ShardIterator, RoundTripsAndRefusesForeignTokens) {
  ShardIterator it{0x1122334455667788ull, 7, 99, 1'700'000'000'000};
  auto back = decode_iterator(encode_iterator(it));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->stream_uid, it.stream_uid);
  EXPECT_EQ(back->shard, 7u);
  EXPECT_EQ(back->position, 99u);
  EXPECT_EQ(back->issued_ms, it.issued_ms);
  EXPECT_FALSE(decode_iterator("not-an-iterator"));
  EXPECT_FALSE(decode_iterator(""));
  EXPECT_FALSE(decode_iterator(std::string(600, 'A')));
}

TEST(ShardId, TwelveDigits) {
  EXPECT_EQ(shard_id(7), "shardId-000000000007");
  EXPECT_EQ(parse_shard_id("shardId-000000000007"), 7u);
  EXPECT_FALSE(parse_shard_id("shardId-7"));
  EXPECT_FALSE(parse_shard_id("shard-000000000007"));
}

}  // namespace
}  // namespace sluice::stream
