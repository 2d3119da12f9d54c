#include "runtime/stream/stream_format.h"

#include <gtest/gtest.h>

namespace sluice::stream::format {
namespace {

TEST(StreamFormat, StreamRecordRoundTrips) {
  StreamRecord r;
  r.uid = 42;
  r.created_ms = 1'700'000'000'000;
  r.mode = Mode::on_demand;
  r.retention_hours = 48;
  r.max_record_kib = 2048;
  r.encryption_key = "alias/aws/kinesis";
  r.tags = {{"team", "orders"}};
  r.policy = R"({"Version":"2012-10-17"})";
  r.shard_metrics = {"IncomingBytes"};
  r.fidelity = true;
  r.rescaled_ms = {1, 2};
  ShardRecord a;
  a.index = 0;
  a.range = {0, kMaxHashKey};
  a.starting = 5;
  a.ending = 9;
  ShardRecord b;
  b.index = 1;
  b.parent = 0;
  b.range = {HashKey(1) << 100, kMaxHashKey};
  b.starting = 10;
  r.shards = {a, b};
  r.next_shard = 2;
  r.consumers = {{"app", 1'700'000'000'000}};
  r.resource = "orders";
  auto back = decode_stream(encode_stream(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r);
  EXPECT_EQ(back->shards[1].adjacent_parent, kNoShard);
}

TEST(StreamFormat, CorruptRecordsAreRefused) {
  StreamRecord r;
  std::string v = encode_stream(r);
  EXPECT_FALSE(decode_stream(v.substr(0, v.size() - 1)));
  EXPECT_FALSE(decode_stream(v + "x"));
  EXPECT_FALSE(decode_stream(""));
  StoredRecord out;
  EXPECT_FALSE(decode_record("\x01", out));
}

TEST(StreamFormat, RecordKeysSortByShardThenCounter) {
  EXPECT_LT(record_key(1, 0, 500), record_key(1, 1, 1));
  EXPECT_LT(record_key(1, 1, 1), record_key(1, 1, 2));
  EXPECT_LT(record_key(1, UINT32_MAX - 1, UINT64_MAX), record_key(2, 0, 0));
  const std::string k = record_key(7, 3, 99);
  EXPECT_EQ(k.size(), kRecordKeyBytes);
  EXPECT_EQ(stream_uid_of_record_key(k), 7u);
  EXPECT_EQ(shard_of_record_key(k), 3u);
  EXPECT_EQ(counter_of_record_key(k), 99u);
  EXPECT_EQ(k.substr(0, 13), shard_prefix(7, 3));
}

TEST(StreamFormat, RecordValueRoundTripsBinaryData) {
  std::string v;
  encode_record(v, 123, true, "pk", std::string("\0\xff\x01", 3));
  StoredRecord out;
  ASSERT_TRUE(decode_record(v, out));
  EXPECT_EQ(out.arrival_ms, 123);
  EXPECT_TRUE(out.encrypted);
  EXPECT_EQ(out.partition_key, "pk");
  EXPECT_EQ(out.data, std::string("\0\xff\x01", 3));
  EXPECT_EQ(arrival_of_record(v), 123);
}

}  // namespace
}  // namespace sluice::stream::format
