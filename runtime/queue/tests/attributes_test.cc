// The attribute table: bounds of every integer attribute, their AWS spelling,
// JSON-valued policies, and the persisted round trip.

#include "runtime/queue/attributes.h"

#include <gtest/gtest.h>

namespace sluice::queue {
namespace {

struct Bound {
  const char* name;
  int64_t min, max;
};

// The limits AWS documents for each integer attribute.
constexpr Bound kBounds[] = {
    {"DelaySeconds", 0, 900},
    {"MaximumMessageSize", 1024, 1048576},
    {"MessageRetentionPeriod", 60, 1209600},
    {"ReceiveMessageWaitTimeSeconds", 0, 20},
    {"VisibilityTimeout", 0, 43200},
    {"KmsDataKeyReusePeriodSeconds", 60, 86400},
};

TEST(Attributes, IntegerBoundsAreInclusiveAndEnforced) {
  for (const auto& b : kBounds) {
    SCOPED_TRACE(b.name);
    QueueAttributes a;
    EXPECT_TRUE(apply_attributes(a, {{b.name, std::to_string(b.min)}}, true).ok());
    EXPECT_TRUE(apply_attributes(a, {{b.name, std::to_string(b.max)}}, true).ok());
    auto low = apply_attributes(a, {{b.name, std::to_string(b.min - 1)}}, true);
    ASSERT_FALSE(low.ok());
    EXPECT_EQ(low.error().code, errc::invalid_argument);
    EXPECT_FALSE(apply_attributes(a, {{b.name, std::to_string(b.max + 1)}}, true).ok());
    EXPECT_FALSE(apply_attributes(a, {{b.name, "ten"}}, true).ok());
    const AttributeDef* def = find_attribute(b.name);
    ASSERT_TRUE(def);
    EXPECT_EQ(def->min, b.min);
    EXPECT_EQ(def->max, b.max);
  }
}

TEST(Attributes, DefaultsAreAwsDefaults) {
  QueueAttributes a;
  std::map<std::string, std::string> rendered;
  for (auto& [k, v] : render_attributes(a)) rendered[k] = v;
  EXPECT_EQ(rendered["DelaySeconds"], "0");
  EXPECT_EQ(rendered["MaximumMessageSize"], "1048576");
  EXPECT_EQ(rendered["MessageRetentionPeriod"], "345600");
  EXPECT_EQ(rendered["ReceiveMessageWaitTimeSeconds"], "0");
  EXPECT_EQ(rendered["VisibilityTimeout"], "30");
  EXPECT_EQ(rendered["SqsManagedSseEnabled"], "true");
  EXPECT_FALSE(rendered.count("FifoQueue"));
  EXPECT_FALSE(rendered.count("RedrivePolicy"));
}

TEST(Attributes, RedrivePolicyAcceptsStringOrNumberCountsAndRendersNumbers) {
  QueueAttributes a;
  ASSERT_TRUE(
      apply_attributes(a,
                       {{"RedrivePolicy",
                         R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"5"})"}},
                       true)
          .ok());
  EXPECT_EQ(a.redrive_policy->max_receive_count, 5);
  EXPECT_EQ(find_attribute("RedrivePolicy")->get(a),
            R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":5})");
  EXPECT_FALSE(apply_attributes(a, {{"RedrivePolicy", "not json"}}, true).ok());
  EXPECT_FALSE(apply_attributes(a, {{"RedrivePolicy", R"({"maxReceiveCount":5})"}}, true).ok());
  EXPECT_FALSE(
      apply_attributes(a, {{"RedrivePolicy", R"({"deadLetterTargetArn":"dlq","maxReceiveCount":5})"}}, true).ok());
  ASSERT_TRUE(apply_attributes(a, {{"RedrivePolicy", ""}}, false).ok());
  EXPECT_FALSE(a.redrive_policy);
}

TEST(Attributes, FifoAttributesExistOnlyOnFifoQueues) {
  QueueAttributes standard;
  EXPECT_EQ(apply_attributes(standard, {{"ContentBasedDeduplication", "true"}}, true).error().code, errc::not_found);
  QueueAttributes fifo;
  ASSERT_TRUE(apply_attributes(fifo, {{"ContentBasedDeduplication", "true"}, {"FifoQueue", "true"}}, true).ok());
  EXPECT_TRUE(fifo.content_based_deduplication);
  EXPECT_FALSE(apply_attributes(fifo, {{"FifoQueue", "false"}}, false).ok());
  EXPECT_FALSE(apply_attributes(fifo, {{"DeduplicationScope", "group"}}, false).ok());
}

TEST(Attributes, KmsAndSqsEncryptionAreExclusive) {
  QueueAttributes a;
  EXPECT_FALSE(apply_attributes(a, {{"KmsMasterKeyId", "alias/k"}, {"SqsManagedSseEnabled", "true"}}, true).ok());
  ASSERT_TRUE(apply_attributes(a, {{"KmsMasterKeyId", "alias/k"}}, true).ok());
  EXPECT_FALSE(a.sqs_managed_sse_enabled);
}

TEST(Attributes, PersistedFormRoundTripsEveryField) {
  QueueAttributes a;
  ASSERT_TRUE(apply_attributes(a,
                               {{"FifoQueue", "true"},
                                {"ContentBasedDeduplication", "true"},
                                {"DeduplicationScope", "messageGroup"},
                                {"FifoThroughputLimit", "perMessageGroupId"},
                                {"VisibilityTimeout", "5"},
                                {"RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"}},
                               true)
                  .ok());
  a.durability = storage::Durability::periodic;
  QueueAttributes b;
  ASSERT_TRUE(decode_attributes(b, encode_attributes(a)).ok());
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace sluice::queue
