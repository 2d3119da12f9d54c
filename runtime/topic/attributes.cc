#include "runtime/topic/attributes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "runtime/topic/delivery_policy.h"
#include "runtime/topic/filter/filter_policy.h"

namespace sluice::topic {
namespace {

using Kind = AttributeDef::Kind;
using nlohmann::json;

Failure<Error> bad(std::string_view name, std::string_view value, std::string why) {
  return invalid("Attributes." + std::string(name), std::string(value), std::move(why));
}

Status<Error> json_object(std::string_view name, std::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes)
    return bad(name, value, std::string(name) + " must be at most " + std::to_string(max_bytes) + " bytes");
  auto j = json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad(name, value, std::string(name) + ": must be a JSON object");
  return {};
}

Status<Error> check_policy(std::string_view name, std::string_view value, bool) {
  return json_object(name, value, limits::kMaxPolicyBytes);
}

Status<Error> check_topic_delivery_policy(std::string_view name, std::string_view value, bool) {
  auto p = parse_topic_delivery_policy(value, "Attributes." + std::string(name));
  if (!p) return Failure<Error>{p.error()};
  return {};
}

Status<Error> check_subscription_delivery_policy(std::string_view name, std::string_view value, bool) {
  auto p = parse_subscription_delivery_policy(value, "Attributes." + std::string(name));
  if (!p) return Failure<Error>{p.error()};
  return {};
}

// The scope is checked again with the policy when both are known (subscription.cc).
Status<Error> check_filter_policy(std::string_view, std::string_view value, bool) {
  if (value.size() > limits::kMaxFilterPolicyBytes)
    return fail(errc::invalid_argument, "FilterPolicy", "Filter policy is too long");
  auto p = FilterPolicy::parse(value, FilterScope::message_body);  // the laxer scope: nesting allowed
  if (!p) return Failure<Error>{p.error()};
  return {};
}

Status<Error> check_redrive_policy(std::string_view name, std::string_view value, bool) {
  if (auto s = json_object(name, value, limits::kMaxPolicyBytes); !s) return s;
  auto j = json::parse(value);
  auto arn = j.find("deadLetterTargetArn");
  if (arn == j.end() || !arn->is_string() || arn->get_ref<const std::string&>().rfind("arn:aws:sqs:", 0) != 0)
    return bad(name, value, "RedrivePolicy: deadLetterTargetArn must be the ARN of an SQS queue");
  return {};
}

Status<Error> check_archive_policy(std::string_view name, std::string_view value, bool) {
  if (auto s = json_object(name, value, limits::kMaxPolicyBytes); !s) return s;
  auto j = json::parse(value);
  auto days = j.find("MessageRetentionPeriod");
  if (days == j.end()) return {};  // {} turns archiving off
  int n = -1;
  if (days->is_number_integer()) n = days->get<int>();
  if (days->is_string()) {
    try {
      n = std::stoi(days->get<std::string>());
    } catch (...) {
    }
  }
  if (n < limits::kMinArchiveDays || n > limits::kMaxArchiveDays)
    return bad(name, value, "ArchivePolicy: MessageRetentionPeriod must be a number of days from 1 to 365");
  return {};
}

Status<Error> check_replay_policy(std::string_view name, std::string_view value, bool fifo) {
  if (!fifo) return bad(name, value, "ReplayPolicy applies only to subscriptions of FIFO topics");
  if (auto s = json_object(name, value, limits::kMaxPolicyBytes); !s) return s;
  auto j = json::parse(value);
  for (const char* k : {"PointType", "StartingPoint"})
    if (!j.contains(k) || !j[k].is_string())
      return bad(name, value, std::string("ReplayPolicy: ") + k + " is required");
  if (j["PointType"] != "Timestamp") return bad(name, value, "ReplayPolicy: PointType must be Timestamp");
  return {};
}

Status<Error> check_display_name(std::string_view name, std::string_view value, bool) {
  if (value.size() > limits::kMaxDisplayNameLength)
    return bad(name, value, "DisplayName must be at most 100 characters");
  return {};
}

constexpr std::array<std::string_view, 2> kTracing = {"PassThrough", "Active"};
constexpr std::array<std::string_view, 2> kSignatureVersions = {"1", "2"};
constexpr std::array<std::string_view, 2> kThroughputScopes = {"Topic", "MessageGroup"};
constexpr std::array<std::string_view, 2> kFilterScopes = {"MessageAttributes", "MessageBody"};

std::vector<AttributeDef> make_topic_defs() {
  std::vector<AttributeDef> d = {
      {"DisplayName",
       "displayName",
       Kind::text,
       {},
       false,
       false,
       "A human-readable name for the topic.",
       check_display_name},
      {"Policy",
       "policy",
       Kind::json,
       {},
       false,
       false,
       "The topic's access policy (a JSON policy document).",
       check_policy},
      {"DeliveryPolicy",
       "deliveryPolicy",
       Kind::json,
       {},
       false,
       false,
       "How HTTP/S subscriptions retry: {\"http\": {\"defaultHealthyRetryPolicy\": {...}, "
       "\"disableSubscriptionOverrides\": false, \"defaultThrottlePolicy\": {...}, \"defaultRequestPolicy\": {...}}}.",
       check_topic_delivery_policy},
      {"TracingConfig", "tracingConfig", Kind::enumeration, kTracing, false, false,
       "PassThrough: trace headers are passed on as they come; Active: recorded (Sluice passes them on)."},
      {"KmsMasterKeyId",
       "kmsMasterKeyId",
       Kind::text,
       {},
       false,
       false,
       "A KMS key id, recorded and reported (Sluice does not encrypt with KMS)."},
      {"SignatureVersion", "signatureVersion", Kind::enumeration, kSignatureVersions, false, false,
       "How messages to HTTP/S endpoints are signed: 1 (SHA1withRSA, the default) or 2 (SHA256withRSA)."},
      {"FifoTopic",
       "fifoTopic",
       Kind::boolean,
       {},
       false,
       true,
       "A FIFO topic (its name ends in .fifo): ordered per message group, deduplicated, delivered to SQS queues."},
      {"ContentBasedDeduplication",
       "contentBasedDeduplication",
       Kind::boolean,
       {},
       true,
       false,
       "FIFO topics: the SHA-256 of the message body is the deduplication id when none is given."},
      {"FifoThroughputScope", "fifoThroughputScope", Kind::enumeration, kThroughputScopes, true, false,
       "FIFO topics: Topic (deduplication across the topic) or MessageGroup (per message group)."},
      {"ArchivePolicy",
       "archivePolicy",
       Kind::json,
       {},
       true,
       false,
       "FIFO topics: keep published messages for replay, {\"MessageRetentionPeriod\": \"<days, 1-365>\"}.",
       check_archive_policy},
  };
  // Delivery status logging: recorded and reported, as SNS accepts them; Sluice logs no delivery status.
  static const char* const kFeedback[][2] = {
      {"HTTPSuccessFeedbackRoleArn", "httpSuccessFeedbackRoleArn"},
      {"HTTPSuccessFeedbackSampleRate", "httpSuccessFeedbackSampleRate"},
      {"HTTPFailureFeedbackRoleArn", "httpFailureFeedbackRoleArn"},
      {"SQSSuccessFeedbackRoleArn", "sqsSuccessFeedbackRoleArn"},
      {"SQSSuccessFeedbackSampleRate", "sqsSuccessFeedbackSampleRate"},
      {"SQSFailureFeedbackRoleArn", "sqsFailureFeedbackRoleArn"},
      {"FirehoseSuccessFeedbackRoleArn", "firehoseSuccessFeedbackRoleArn"},
      {"FirehoseSuccessFeedbackSampleRate", "firehoseSuccessFeedbackSampleRate"},
      {"FirehoseFailureFeedbackRoleArn", "firehoseFailureFeedbackRoleArn"},
      {"LambdaSuccessFeedbackRoleArn", "lambdaSuccessFeedbackRoleArn"},
      {"LambdaSuccessFeedbackSampleRate", "lambdaSuccessFeedbackSampleRate"},
      {"LambdaFailureFeedbackRoleArn", "lambdaFailureFeedbackRoleArn"},
      {"ApplicationSuccessFeedbackRoleArn", "applicationSuccessFeedbackRoleArn"},
      {"ApplicationSuccessFeedbackSampleRate", "applicationSuccessFeedbackSampleRate"},
      {"ApplicationFailureFeedbackRoleArn", "applicationFailureFeedbackRoleArn"},
  };
  for (const auto& f : kFeedback)
    d.push_back({f[0], f[1], Kind::text, {}, false, false, "Delivery status logging, recorded and reported."});
  return d;
}

std::vector<AttributeDef> make_subscription_defs() {
  return {
      {"RawMessageDelivery",
       "rawMessageDelivery",
       Kind::boolean,
       {},
       false,
       false,
       "SQS and HTTP/S: deliver the message itself instead of the SNS JSON envelope."},
      {"FilterPolicy",
       "filterPolicy",
       Kind::json,
       {},
       false,
       false,
       "Which messages the subscription gets (the SNS filter-policy language).",
       check_filter_policy},
      {"FilterPolicyScope", "filterPolicyScope", Kind::enumeration, kFilterScopes, false, false,
       "What the filter policy reads: MessageAttributes (the default) or MessageBody."},
      {"DeliveryPolicy",
       "deliveryPolicy",
       Kind::json,
       {},
       false,
       false,
       "HTTP/S: how deliveries are retried, {\"healthyRetryPolicy\": {...}, \"throttlePolicy\": {...}, "
       "\"requestPolicy\": {...}}.",
       check_subscription_delivery_policy},
      {"RedrivePolicy",
       "redrivePolicy",
       Kind::json,
       {},
       false,
       false,
       "A dead-letter queue for what could not be delivered: {\"deadLetterTargetArn\": \"<SQS queue ARN>\"}.",
       check_redrive_policy},
      {"SubscriptionRoleArn",
       "subscriptionRoleArn",
       Kind::text,
       {},
       false,
       false,
       "Firehose subscriptions: the role SNS would assume, recorded."},
      {"ReplayPolicy",
       "replayPolicy",
       Kind::json,
       {},
       false,
       false,
       "FIFO topics: replay archived messages, {\"PointType\": \"Timestamp\", \"StartingPoint\": \"<ISO 8601>\"}.",
       check_replay_policy},
  };
}

}  // namespace

const std::vector<AttributeDef>& topic_attribute_defs() {
  static const auto defs = make_topic_defs();
  return defs;
}

const std::vector<AttributeDef>& subscription_attribute_defs() {
  static const auto defs = make_subscription_defs();
  return defs;
}

const AttributeDef* find_attribute(std::span<const AttributeDef> defs, std::string_view aws_name) {
  for (const auto& d : defs)
    if (d.aws_name == aws_name) return &d;
  return nullptr;
}

Status<Error> set_attribute(std::span<const AttributeDef> defs, Attributes& attrs, std::string_view name,
                            std::string_view value, bool creating, bool fifo) {
  const AttributeDef* d = find_attribute(defs, name);
  if (!d) return bad(name, value, "Invalid parameter: AttributeName");
  if (d->create_only && !creating) return bad(name, value, std::string(name) + " cannot be changed");
  if (d->fifo_only && !fifo) return bad(name, value, std::string(name) + " applies only to FIFO topics");
  std::string v(value);
  switch (d->kind) {
    case Kind::boolean: {
      std::string lower = v;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
      if (lower != "true" && lower != "false") return bad(name, value, std::string(name) + " must be true or false");
      v = lower;
      break;
    }
    case Kind::integer:
      if (v.empty() || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
        return bad(name, value, std::string(name) + " must be an integer");
      break;
    case Kind::enumeration:
      if (std::find(d->values.begin(), d->values.end(), v) == d->values.end()) {
        std::string all;
        for (auto e : d->values) all += (all.empty() ? "" : ", ") + std::string(e);
        return bad(name, value, std::string(name) + " must be one of: " + all);
      }
      break;
    case Kind::json:
      if (v.empty()) {  // SNS unsets a policy given as ""
        attrs.erase(std::string(name));
        return {};
      }
      break;
    case Kind::text:
      break;
  }
  if (d->check)
    if (auto s = d->check(name, v, fifo); !s) return s;
  attrs[std::string(name)] = std::move(v);
  return {};
}

bool attribute_true(const Attributes& attrs, std::string_view name) {
  auto it = attrs.find(name);
  return it != attrs.end() && it->second == "true";
}

std::string attribute_or(const Attributes& attrs, std::string_view name, std::string_view fallback) {
  auto it = attrs.find(name);
  return it == attrs.end() ? std::string(fallback) : it->second;
}

Status<Error> validate_topic_name(std::string_view name, bool fifo) {
  std::string_view base = name;
  const bool dot_fifo = name.size() > 5 && name.substr(name.size() - 5) == ".fifo";
  if (dot_fifo) base.remove_suffix(5);
  const bool chars = !base.empty() && std::all_of(base.begin(), base.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
  if (!chars || name.size() > limits::kMaxTopicNameLength)
    return invalid("Name", std::string(name),
                   "Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, "
                   "and hyphens, and must be between 1 and 256 characters long.");
  if (fifo != dot_fifo)
    return invalid("Name", std::string(name),
                   fifo ? "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase "
                          "ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters "
                          "long."
                        : "Topic names ending in .fifo are FIFO topics: set the FifoTopic attribute to true.");
  return {};
}

Status<Error> validate_tags(const StringPairs& tags) {
  if (tags.size() > limits::kMaxTagsPerTopic)
    return fail(errc::limit_exceeded, "Tags", "Could not complete request: tag quota of per resource exceeded");
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > limits::kMaxTagKeyLength)
      return invalid("Tags.Key", k, "Tag keys must be 1 to 128 characters long");
    if (v.size() > limits::kMaxTagValueLength)
      return invalid("Tags.Value", v, "Tag values must be at most 256 characters long");
  }
  return {};
}

}  // namespace sluice::topic
