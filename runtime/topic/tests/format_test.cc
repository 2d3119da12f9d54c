#include "runtime/topic/topic_format.h"

#include <gtest/gtest.h>

namespace sluice::topic::format {
namespace {

TEST(TopicFormat, KeysOrderAndParse) {
  auto k = topic_key("us-east-1", "000000000000", "orders");
  auto p = parse_topic_key(k);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->region, "us-east-1");
  EXPECT_EQ(p->account, "000000000000");
  EXPECT_EQ(p->name, "orders");
  EXPECT_LT(message_key(7, 1), message_key(7, 2));
  EXPECT_LT(message_key(7, 255), message_key(7, 256));
  EXPECT_EQ(seq_of_message_key(message_key(7, 123456789)), 123456789u);
  EXPECT_EQ(topic_uid_of_message_key(message_key(7, 1)), 7u);
  EXPECT_EQ(topic_uid_of_subscription_key(subscription_key(9, 3)), 9u);
  EXPECT_EQ(sub_uid_of_cursor_key(cursor_key(42)), 42u);
}

TEST(TopicFormat, RecordsRoundTrip) {
  TopicRecord t{77, 1234, {{"DisplayName", "Orders"}, {"FifoTopic", "true"}}, {{"team", "shop"}}, "{}"};
  auto t2 = decode_topic(encode_topic(t));
  ASSERT_TRUE(t2);
  EXPECT_EQ(t2->uid, 77u);
  EXPECT_EQ(t2->attributes, t.attributes);
  EXPECT_EQ(t2->tags, t.tags);

  SubscriptionRecord s;
  s.uid = 5;
  s.id = "abc";
  s.protocol = "https";
  s.endpoint = "https://x/";
  s.owner = "000000000000";
  s.token = "tok";
  s.token_expires_ms = 99;
  s.attributes = {{"RawMessageDelivery", "true"}};
  auto s2 = decode_subscription(encode_subscription(s));
  ASSERT_TRUE(s2);
  EXPECT_EQ(s2->endpoint, "https://x/");
  EXPECT_EQ(s2->state, SubscriptionState::pending);
  EXPECT_EQ(s2->attributes, s.attributes);
  EXPECT_EQ(*decode_cursor(encode_cursor(1ull << 40)), 1ull << 40);

  Published m;
  m.seq = 3;
  m.message_id = "id";
  m.timestamp_ms = 1000;
  m.entry.message = "body";
  m.entry.subject = "s";
  m.entry.structured = {{"sqs", "q"}};
  m.entry.attributes["a"] = {"Binary", std::string("\0\1", 2)};
  m.entry.group_id = "g";
  m.entry.deduplication_id = "d";
  Published m2;
  ASSERT_TRUE(decode_message(encode_message(m), m2));
  EXPECT_EQ(m2.seq, 3u);
  EXPECT_EQ(*m2.entry.subject, "s");
  EXPECT_EQ(m2.entry.attributes.at("a").value, std::string("\0\1", 2));
  EXPECT_EQ(m2.entry.structured.at("sqs"), "q");
}

TEST(TopicFormat, TruncatedRecordsAreRefused) {
  Published m;
  m.entry.message = "body";
  const std::string e = encode_message(m);
  for (size_t n = 0; n < e.size(); ++n) {
    Published out;
    EXPECT_FALSE(decode_message(e.substr(0, n), out)) << n;
  }
  EXPECT_FALSE(decode_topic("\x02"));
  EXPECT_FALSE(decode_subscription(""));
}

}  // namespace
}  // namespace sluice::topic::format
