#pragma once
// How a subscription retries: SNS's delivery policies. HTTP/S subscriptions take
// a DeliveryPolicy (the topic's "http" section, or the subscription's own unless
// the topic disables overrides); every other protocol has SNS's fixed policy for
// AWS-managed endpoints. A retry schedule has four phases, as SNS documents:
// immediate retries, a pre-backoff phase at the minimum delay, a backoff phase
// from the minimum to the maximum delay, and a post-backoff phase at the maximum.
//
//   topic:         {"http": {"defaultHealthyRetryPolicy": {...}, "disableSubscriptionOverrides": false,
//                            "defaultThrottlePolicy": {"maxReceivesPerSecond": 10},
//                            "defaultRequestPolicy": {"headerContentType": "application/json"}}}
//   subscription:  {"healthyRetryPolicy": {...}, "throttlePolicy": {...}, "requestPolicy": {...}}

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/common/error.h"

namespace sluice::topic {

enum class Backoff : uint8_t { linear, arithmetic, geometric, exponential };

struct RetryPolicy {
  int min_delay_target = 20;  // seconds
  int max_delay_target = 20;
  int num_retries = 3;
  int num_no_delay_retries = 0;
  int num_min_delay_retries = 0;
  int num_max_delay_retries = 0;
  Backoff backoff = Backoff::linear;

  // Seconds to wait before retry `n` (0-based); nullopt once the retries are spent.
  std::optional<int> delay_before(int n) const;
  bool operator==(const RetryPolicy&) const = default;
};

// SNS's HTTP/S default: three retries, 20 seconds apart.
RetryPolicy http_default_retry_policy();
// SNS's policy for AWS-managed endpoints (SQS, Lambda, Firehose): 3 immediate, 2
// at 1 s, 10 with exponential backoff from 1 to 20 s, 100,000 at 20 s (23 days).
RetryPolicy managed_retry_policy();

struct DeliveryPolicy {
  RetryPolicy retry = http_default_retry_policy();
  std::optional<int> max_receives_per_second;   // throttlePolicy
  std::string header_content_type;              // requestPolicy; "" for text/plain; charset=UTF-8
  bool disable_subscription_overrides = false;  // topic policies only
  bool operator==(const DeliveryPolicy&) const = default;
};

inline constexpr int kMaxRetryPolicySeconds = 3600;  // a policy's retries may span at most an hour
inline constexpr int kMaxRetries = 100;

// Parses a topic's DeliveryPolicy attribute (its "http" section) or a
// subscription's; refusals name `field` (the attribute) and say what is wrong.
Result<DeliveryPolicy, Error> parse_topic_delivery_policy(std::string_view text, const std::string& field);
Result<DeliveryPolicy, Error> parse_subscription_delivery_policy(std::string_view text, const std::string& field);

// The policy an HTTP/S subscription follows: its own, over the topic's, over SNS's default.
DeliveryPolicy effective_delivery_policy(const std::optional<DeliveryPolicy>& topic,
                                         const std::optional<DeliveryPolicy>& subscription);
// The policy rendered as SNS renders EffectiveDeliveryPolicy (subscription form).
std::string render_delivery_policy(const DeliveryPolicy& policy);

}  // namespace sluice::topic
