// The Queue kind's spec: the documented example parses, types are strict, every
// error names its field, rules between fields hold, and names resolve to ARNs.
// (Manifests reach this as JSON; sidecar/manifests converts YAML at the edge.)

#include "runtime/queue/spec.h"

#include <gtest/gtest.h>

#include <set>

namespace sluice::queue {
namespace {

using resource::SpecError;

QueueSpec parse(const std::string& json_text, std::vector<SpecError>& errors, const std::string& name = "orders") {
  return parse_queue_spec(resource::json::parse(json_text), name, errors);
}

std::string all(const std::vector<SpecError>& errors) {
  std::string out;
  for (auto& e : errors) out += e.str() + "\n";
  return out;
}

TEST(QueueSpec, TheDocumentedExampleLoads) {
  std::vector<SpecError> errors;
  auto spec = parse(R"(
{"visibilityTimeout": 30, "messageRetentionPeriod": 345600, "receiveMessageWaitTimeSeconds": 20,
 "redrivePolicy": {"deadLetterTargetQueue": "orders-dlq", "maxReceiveCount": 5}}
)",
                    errors);
  ASSERT_TRUE(errors.empty()) << all(errors);
  EXPECT_EQ(spec.queue_name, "orders");
  EXPECT_EQ(spec.attributes.visibility_timeout, 30);
  EXPECT_EQ(spec.attributes.receive_message_wait_time_seconds, 20);
  EXPECT_EQ(spec.dead_letter_target_queue, "orders-dlq");
  auto attrs = resolve_queue_spec(spec, "000000000000", "us-east-1");
  ASSERT_TRUE(attrs.redrive_policy);
  EXPECT_EQ(attrs.redrive_policy->dead_letter_target_arn, "arn:aws:sqs:us-east-1:000000000000:orders-dlq");
  EXPECT_EQ(attrs.redrive_policy->max_receive_count, 5);

  auto fifo = parse(R"({"fifoQueue": true, "contentBasedDeduplication": true})", errors, "ledger.fifo");
  ASSERT_TRUE(errors.empty()) << all(errors);
  EXPECT_TRUE(fifo.attributes.fifo_queue);
  EXPECT_TRUE(fifo.attributes.content_based_deduplication);
}

TEST(QueueSpec, FifoFollowsTheNameUnlessContradicted) {
  std::vector<SpecError> errors;
  EXPECT_TRUE(parse("{}", errors, "x.fifo").attributes.fifo_queue);
  EXPECT_FALSE(parse("{}", errors, "x").attributes.fifo_queue);
  ASSERT_TRUE(errors.empty());
  parse(R"({"fifoQueue": true})", errors, "plain");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "spec.fifoQueue");
}

TEST(QueueSpec, QueueNameOverridesMetadataName) {
  std::vector<SpecError> errors;
  auto spec = parse(R"({"queueName": "Orders_V2"})", errors, "orders-v2");
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(spec.queue_name, "Orders_V2");
}

TEST(QueueSpec, TypesAreStrictAndEveryErrorNamesItsField) {
  std::vector<SpecError> errors;
  parse(R"(
{"visibilityTimeout": "30", "delaySeconds": 901, "fifoQueue": "yes", "durability": "fast", "bogus": 1,
 "redrivePolicy": {"deadLetterTargetQueue": "dlq", "maxReceiveCount": 0}}
)",
        errors);
  std::set<std::string> fields;
  for (auto& e : errors) fields.insert(e.field);
  EXPECT_TRUE(fields.count("spec.visibilityTimeout")) << all(errors);
  EXPECT_TRUE(fields.count("spec.delaySeconds")) << all(errors);
  EXPECT_TRUE(fields.count("spec.fifoQueue")) << all(errors);
  EXPECT_TRUE(fields.count("spec.durability")) << all(errors);
  EXPECT_TRUE(fields.count("spec.bogus")) << all(errors);
  EXPECT_TRUE(fields.count("spec.redrivePolicy.maxReceiveCount")) << all(errors);
}

TEST(QueueSpec, FifoOnlyFieldsAreRejectedOnStandardQueues) {
  std::vector<SpecError> errors;
  parse(R"({"contentBasedDeduplication": true})", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "spec.contentBasedDeduplication");
}

TEST(QueueSpec, RedriveAllowPolicyTakesQueueNames) {
  std::vector<SpecError> errors;
  auto spec = parse(R"({"redriveAllowPolicy": {"redrivePermission": "byQueue", "sourceQueues": ["orders"]}})", errors,
                    "orders-dlq");
  ASSERT_TRUE(errors.empty()) << all(errors);
  auto attrs = resolve_queue_spec(spec, "123456789012", "eu-west-1");
  ASSERT_TRUE(attrs.redrive_allow_policy);
  EXPECT_EQ(attrs.redrive_allow_policy->source_queue_arns,
            std::vector<std::string>{"arn:aws:sqs:eu-west-1:123456789012:orders"});
}

TEST(QueueSpec, TagsDurabilityAndDeletionPolicy) {
  std::vector<SpecError> errors;
  auto spec = parse(R"({"tags": {"team": "shop"}, "durability": "periodic", "deletionPolicy": "Retain"})", errors);
  ASSERT_TRUE(errors.empty()) << all(errors);
  EXPECT_EQ(spec.tags.size(), 1u);
  EXPECT_EQ(spec.attributes.durability, storage::Durability::periodic);
  EXPECT_EQ(spec.deletion_policy, DeletionPolicy::retain);
}

TEST(QueueSpec, JsonBodiesParseTheSameWay) {
  std::vector<SpecError> errors;
  auto spec = parse(R"({"visibilityTimeout": 12, "fifoQueue": false})", errors);
  ASSERT_TRUE(errors.empty()) << all(errors);
  EXPECT_EQ(spec.attributes.visibility_timeout, 12);
  parse(R"({"visibilityTimeout": "12"})", errors);
  EXPECT_EQ(errors.size(), 1u);
}

}  // namespace
}  // namespace sluice::queue
