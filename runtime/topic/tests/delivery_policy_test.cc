#include "runtime/topic/delivery_policy.h"

#include <gtest/gtest.h>

namespace sluice::topic {
namespace {

std::vector<int> schedule(const RetryPolicy& p) {
  std::vector<int> out;
  for (int n = 0; auto d = p.delay_before(n); ++n) out.push_back(*d);
  return out;
}

TEST(DeliveryPolicy, HttpDefaultIsThreeRetriesTwentySecondsApart) {
  EXPECT_EQ(schedule(http_default_retry_policy()), (std::vector<int>{20, 20, 20}));
}

TEST(DeliveryPolicy, ManagedEndpointsFollowSnsPhases) {
  const RetryPolicy p = managed_retry_policy();
  EXPECT_EQ(*p.delay_before(0), 0);
  EXPECT_EQ(*p.delay_before(2), 0);
  EXPECT_EQ(*p.delay_before(3), 1);
  EXPECT_EQ(*p.delay_before(4), 1);
  int prev = 1;
  for (int n = 5; n < 15; ++n) {  // the backoff phase climbs from 1 to 20 s
    EXPECT_GE(*p.delay_before(n), prev);
    prev = *p.delay_before(n);
  }
  EXPECT_EQ(prev, 20);
  EXPECT_EQ(*p.delay_before(15), 20);
  EXPECT_EQ(*p.delay_before(100'014), 20);
  EXPECT_FALSE(p.delay_before(100'015));
}

TEST(DeliveryPolicy, PhasesOfACustomPolicy) {
  auto p = parse_subscription_delivery_policy(
      R"({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 60, "numRetries": 10,
          "numNoDelayRetries": 2, "numMinDelayRetries": 2, "numMaxDelayRetries": 2, "backoffFunction": "linear"}})",
      "DeliveryPolicy");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(schedule(p->retry), (std::vector<int>{0, 0, 1, 1, 16, 31, 45, 60, 60, 60}));
}

TEST(DeliveryPolicy, BackoffFunctionsClimbDifferently) {
  for (const char* f : {"arithmetic", "geometric", "exponential"}) {
    auto p = parse_subscription_delivery_policy(
        std::string(R"({"healthyRetryPolicy": {"minDelayTarget": 2, "maxDelayTarget": 50, "numRetries": 5, )") +
            R"("backoffFunction": ")" + f + "\"}}",
        "DeliveryPolicy");
    ASSERT_TRUE(p.ok()) << f;
    auto s = schedule(p->retry);
    ASSERT_EQ(s.size(), 5u);
    EXPECT_TRUE(std::is_sorted(s.begin(), s.end())) << f;
    EXPECT_EQ(s.back(), 50) << f;
    EXPECT_LT(s.front(), 20) << f;
  }
}

TEST(DeliveryPolicy, RefusesWhatSnsRefuses) {
  const char* bad[] = {
      "not json",
      R"({"healthyRetryPolicy": {"minDelayTarget": 30, "maxDelayTarget": 10}})",
      R"({"healthyRetryPolicy": {"numRetries": 101}})",
      R"({"healthyRetryPolicy": {"numRetries": 100, "minDelayTarget": 3600, "maxDelayTarget": 3600}})",  // > 1 h
      R"({"healthyRetryPolicy": {"numRetries": 2, "numNoDelayRetries": 3}})",
      R"({"healthyRetryPolicy": {"backoffFunction": "cubic"}})",
      R"({"healthyRetryPolicy": {"retries": 3}})",
      R"({"throttlePolicy": {"maxReceivesPerSecond": 0}})",
  };
  for (const char* b : bad) EXPECT_FALSE(parse_subscription_delivery_policy(b, "DeliveryPolicy").ok()) << b;
}

TEST(DeliveryPolicy, TopicPolicyAndOverrides) {
  auto topic = parse_topic_delivery_policy(
      R"({"http": {"defaultHealthyRetryPolicy": {"numRetries": 5, "minDelayTarget": 1, "maxDelayTarget": 1},
                   "defaultThrottlePolicy": {"maxReceivesPerSecond": 7},
                   "defaultRequestPolicy": {"headerContentType": "application/json"}}})",
      "DeliveryPolicy");
  ASSERT_TRUE(topic.ok()) << topic.error().message;
  EXPECT_EQ(topic->retry.num_retries, 5);
  EXPECT_EQ(*topic->max_receives_per_second, 7);
  auto sub = parse_subscription_delivery_policy(R"({"healthyRetryPolicy": {"numRetries": 1}})", "DeliveryPolicy");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(effective_delivery_policy(topic.value(), sub.value()).retry.num_retries, 1);
  EXPECT_EQ(effective_delivery_policy(topic.value(), std::nullopt).retry.num_retries, 5);
  EXPECT_EQ(effective_delivery_policy(std::nullopt, std::nullopt).retry, http_default_retry_policy());
  topic->disable_subscription_overrides = true;
  EXPECT_EQ(effective_delivery_policy(topic.value(), sub.value()).retry.num_retries, 5);
}

}  // namespace
}  // namespace sluice::topic
