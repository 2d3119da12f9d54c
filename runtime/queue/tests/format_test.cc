// The queue engine's records round-trip through their one encoder and decoder,
// and a damaged record is refused rather than misread.

#include "runtime/queue/queue_format.h"

#include <gtest/gtest.h>

namespace sluice::queue::format {
namespace {

TEST(Format, QueueKeysCarryRegionAccountAndName) {
  auto key = queue_key("eu-west-1", "111111111111", "orders");
  auto parts = parse_queue_key(key);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->region, "eu-west-1");
  EXPECT_EQ(parts->account, "111111111111");
  EXPECT_EQ(parts->name, "orders");
  // Written before regions were part of the key: no region.
  auto legacy = parse_queue_key(std::string("Q111111111111\0orders", 20));
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->region, "");
  EXPECT_EQ(legacy->name, "orders");
  EXPECT_FALSE(parse_queue_key("Qnoseparator"));
  EXPECT_FALSE(parse_queue_key(std::string("M\0\0", 3)));
}

TEST(Format, RecordsRoundTrip) {
  QueueRecord r{42, 1000, 2000, {{"visibilityTimeout", "30"}}, {{"team", "shop"}}};
  auto back = decode_queue_record(encode_queue_record(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->uid, 42u);
  EXPECT_EQ(back->modified_ms, 2000);
  EXPECT_EQ(back->fields, r.fields);
  EXPECT_EQ(back->tags, r.tags);

  MessageMeta m;
  m.id[0] = 7;
  m.sent_ms = -5;
  m.receive_count = 3;
  m.group_id = "tenant";
  auto meta = decode_message_meta(encode_message_meta(m));
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->id[0], 7);
  EXPECT_EQ(meta->sent_ms, -5);
  EXPECT_EQ(meta->receive_count, 3u);
  EXPECT_EQ(meta->group_id, "tenant");

  auto dedup = decode_dedup(encode_dedup({"id", "00000000000000000001", 99}));
  ASSERT_TRUE(dedup);
  EXPECT_EQ(dedup->expires_ms, 99);

  EXPECT_EQ(seq_of(meta_key(9, 123)), 123u);
  EXPECT_EQ(uid_of(blob_key(9, 123)), 9u);
  EXPECT_EQ(dedup_of(dedup_key(9, "abc")), "abc");
}

TEST(Format, DamagedRecordsAreRefused) {
  std::string record = encode_queue_record({42, 1, 2, {{"a", "b"}}, {}});
  std::string meta = encode_message_meta({});
  for (const std::string* value : {&record, &meta}) {
    for (size_t cut = 0; cut < value->size(); ++cut) {
      const std::string truncated = value->substr(0, cut);
      EXPECT_FALSE(value == &record ? decode_queue_record(truncated).has_value()
                                    : decode_message_meta(truncated).has_value())
          << "cut at " << cut;
    }
    std::string bad_version = *value;
    bad_version[0] = char(99);
    EXPECT_FALSE(value == &record ? decode_queue_record(bad_version).has_value()
                                  : decode_message_meta(bad_version).has_value());
    std::string trailing = *value + "x";
    EXPECT_FALSE(value == &record ? decode_queue_record(trailing).has_value()
                                  : decode_message_meta(trailing).has_value());
  }
}

}  // namespace
}  // namespace sluice::queue::format
