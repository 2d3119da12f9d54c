#include "sidecar/sns/subscriptions.h"

namespace sluice::sns {

using json = nlohmann::json;

json render_subscription(const topic::SubscriptionView& v) {
  return {{"SubscriptionArn", v.pending ? std::string("PendingConfirmation") : v.arn},
          {"Owner", v.owner},
          {"Protocol", v.protocol},
          {"Endpoint", v.endpoint},
          {"TopicArn", v.topic_arn}};
}

json render_subscription_page(const topic::Page<topic::SubscriptionView>& page) {
  json subs = json::array();
  for (const auto& v : page.items) subs.push_back(render_subscription(v));
  json out = {{"Subscriptions", std::move(subs)}};
  if (!page.next_token.empty()) out["NextToken"] = page.next_token;
  return out;
}

json subscription_attributes(const topic::SubscriptionView& v) {
  json a = json::object();
  for (const auto& [name, value] : v.attributes) a[name] = value;
  a["SubscriptionArn"] = v.subscription ? v.subscription->arn() : v.arn;
  a["TopicArn"] = v.topic_arn;
  a["Owner"] = v.owner;
  a["Protocol"] = v.protocol;
  a["Endpoint"] = v.endpoint;
  a["PendingConfirmation"] = v.pending ? "true" : "false";
  a["ConfirmationWasAuthenticated"] = v.authenticated ? "true" : "false";
  if (!a.contains("RawMessageDelivery")) a["RawMessageDelivery"] = "false";
  if (a.contains("FilterPolicy") && !a.contains("FilterPolicyScope")) a["FilterPolicyScope"] = "MessageAttributes";
  if (!v.effective_delivery_policy.empty()) a["EffectiveDeliveryPolicy"] = v.effective_delivery_policy;
  if (!v.replay_status.empty()) a["ReplayStatus"] = v.replay_status;
  return a;
}

Status<Error> check_protocol(const std::string& protocol) {
  if (protocol == "sqs" || protocol == "http" || protocol == "https") return {};
  if (protocol == "firehose")
    return fail(errc::unsupported, "Protocol", "Sluice cannot deliver to Firehose yet (no delivery stream engine)");
  if (protocol == "email" || protocol == "email-json" || protocol == "sms" || protocol == "application" ||
      protocol == "lambda")
    return fail(errc::unsupported, "Protocol",
                "Sluice does not deliver to " + protocol +
                    " endpoints: subscribe an SQS queue or an HTTP/S endpoint (which may forward it).");
  return fail(errc::invalid_argument, "Protocol", "Amazon SNS does not support this protocol string: " + protocol);
}

}  // namespace sluice::sns
