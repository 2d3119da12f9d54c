#include "runtime/topic/delivery_policy.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {
namespace {

using json = nlohmann::json;

// The access policy SNS gives a topic that has none of its own: the owner may do
// everything but receive.
std::string default_policy(const topic::TopicKey& key) {
  json statement = {
      {"Sid", "__default_statement_ID"},
      {"Effect", "Allow"},
      {"Principal", {{"AWS", "*"}}},
      {"Action",
       {"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
        "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"}},
      {"Resource", key.arn()},
      {"Condition", {{"StringEquals", {{"AWS:SourceOwner", key.account}}}}},
  };
  json policy = {{"Version", "2008-10-17"}, {"Id", "__default_policy_ID"}, {"Statement", json::array({statement})}};
  return policy.dump();
}

const char* backoff_name(topic::Backoff b) {
  switch (b) {
    case topic::Backoff::arithmetic:
      return "arithmetic";
    case topic::Backoff::geometric:
      return "geometric";
    case topic::Backoff::exponential:
      return "exponential";
    case topic::Backoff::linear:
      break;
  }
  return "linear";
}

// The topic's delivery policy with SNS's defaults filled in, in the topic form
// SNS reports as EffectiveDeliveryPolicy.
std::string effective_delivery_policy(const std::optional<topic::DeliveryPolicy>& set) {
  const topic::DeliveryPolicy p = set.value_or(topic::DeliveryPolicy{});
  const topic::RetryPolicy& r = p.retry;
  json http = {
      {"defaultHealthyRetryPolicy",
       {{"minDelayTarget", r.min_delay_target},
        {"maxDelayTarget", r.max_delay_target},
        {"numRetries", r.num_retries},
        {"numMaxDelayRetries", r.num_max_delay_retries},
        {"numNoDelayRetries", r.num_no_delay_retries},
        {"numMinDelayRetries", r.num_min_delay_retries},
        {"backoffFunction", backoff_name(r.backoff)}}},
      {"disableSubscriptionOverrides", p.disable_subscription_overrides},
      {"defaultRequestPolicy",
       {{"headerContentType",
         p.header_content_type.empty() ? std::string("text/plain; charset=UTF-8") : p.header_content_type}}},
  };
  if (p.max_receives_per_second) http["defaultThrottlePolicy"] = {{"maxReceivesPerSecond", *p.max_receives_per_second}};
  return json{{"http", http}}.dump();
}

}  // namespace

void get_topic_attributes(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call);
  if (!t) return;
  json a = json::object();
  for (const auto& [name, value] : t->attributes()) a[name] = value;
  size_t confirmed = 0, pending = 0;
  for (const auto& s : t->subscriptions()) (s->confirmed() ? confirmed : pending)++;
  a["TopicArn"] = t->arn();
  a["Owner"] = t->key().account;
  if (!a.contains("Policy")) a["Policy"] = default_policy(t->key());
  if (!a.contains("DisplayName")) a["DisplayName"] = "";
  a["SubscriptionsConfirmed"] = std::to_string(confirmed);
  a["SubscriptionsPending"] = std::to_string(pending);
  a["SubscriptionsDeleted"] = std::to_string(t->deleted_subscriptions());
  a["EffectiveDeliveryPolicy"] = effective_delivery_policy(t->delivery_policy());
  if (!a.contains("SignatureVersion")) a["SignatureVersion"] = "1";
  if (t->fifo()) {
    a["FifoTopic"] = "true";
    if (!a.contains("ContentBasedDeduplication")) a["ContentBasedDeduplication"] = "false";
  }
  call->succeed({{"Attributes", std::move(a)}});
}

}  // namespace sluice::sns
