#include "runtime/queue/attributes.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "runtime/common/arn.h"
#include "runtime/common/text.h"

namespace sluice::queue {
namespace {

using Kind = AttributeDef::Kind;
using json = nlohmann::json;

// An attribute value that does not parse or is out of range.
Failure<Error> bad_value(std::string_view name) {
  return fail(errc::invalid_argument, "Attributes." + std::string(name),
              "Invalid value for the parameter " + std::string(name) + ".");
}

// A policy attribute whose document is wrong: AWS reports these against the parameter itself.
Failure<Error> bad_parameter(std::string_view name, std::string_view value, std::string_view reason) {
  return invalid(std::string(name), std::string(value), std::string(reason));
}

Failure<Error> unknown_attribute(std::string_view name) {
  return fail(errc::not_found, "Attributes." + std::string(name), "Unknown Attribute " + std::string(name) + ".");
}

template <int QueueAttributes::*Field>
Status set_int(QueueAttributes& a, std::string_view v, std::string_view name, int64_t lo, int64_t hi) {
  auto n = parse_int64(v);
  if (!n || *n < lo || *n > hi) return bad_value(name);
  a.*Field = int(*n);
  return {};
}

std::optional<bool> parse_flag(std::string_view v) {
  std::string lower(v);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return parse_bool(lower);
}

#define INT_ATTR(aws, spec, field, lo, hi, doc_text)                     \
  AttributeDef {                                                         \
    aws, spec, Kind::integer, lo, hi, {}, false, false, doc_text,        \
        [](QueueAttributes& a, std::string_view v) -> Status {           \
          return set_int<&QueueAttributes::field>(a, v, aws, lo, hi);    \
        },                                                               \
        [](const QueueAttributes& a) { return std::to_string(a.field); } \
  }

#define BOOL_ATTR(aws, spec, field, fifo, create, doc_text)                              \
  AttributeDef {                                                                         \
    aws, spec, Kind::boolean, 0, 0, {}, fifo, create, doc_text,                          \
        [](QueueAttributes& a, std::string_view v) -> Status {                           \
          auto b = parse_flag(v);                                                        \
          if (!b) return bad_value(aws);                                                 \
          a.field = *b;                                                                  \
          return {};                                                                     \
        },                                                                               \
        [](const QueueAttributes& a) { return std::string(a.field ? "true" : "false"); } \
  }

constexpr std::array<std::string_view, 2> kScopes{"queue", "messageGroup"};
constexpr std::array<std::string_view, 2> kThroughputLimits{"perQueue", "perMessageGroupId"};
constexpr std::array<std::string_view, 3> kDurabilities{"sync", "periodic", "memory"};
constexpr std::array<std::string_view, 3> kPermissions{"allowAll", "denyAll", "byQueue"};

Status set_redrive_policy(QueueAttributes& a, std::string_view v) {
  if (v.empty()) {
    a.redrive_policy.reset();
    return {};
  }
  json doc = json::parse(v, nullptr, false);
  if (!doc.is_object()) return bad_parameter("RedrivePolicy", v, "Redrive policy is not a valid JSON map.");
  RedrivePolicy p;
  bool has_count = false;
  for (auto& [key, val] : doc.items()) {
    if (key == "deadLetterTargetArn") {
      if (!val.is_string()) return bad_parameter("RedrivePolicy", v, "Invalid value for deadLetterTargetArn.");
      p.dead_letter_target_arn = val.get<std::string>();
    } else if (key == "maxReceiveCount") {
      std::optional<int64_t> n;
      if (val.is_number_integer()) n = val.get<int64_t>();
      if (val.is_string()) n = parse_int64(val.get<std::string>());
      if (!n || *n < limits::kMinMaxReceiveCount || *n > limits::kMaxMaxReceiveCount)
        return bad_parameter(
            "RedrivePolicy", v,
            "Invalid value for maxReceiveCount: " + (val.is_string() ? val.get<std::string>() : val.dump()) +
                ", valid values are from " + std::to_string(limits::kMinMaxReceiveCount) + " to " +
                std::to_string(limits::kMaxMaxReceiveCount) + " both inclusive.");
      p.max_receive_count = int(*n);
      has_count = true;
    } else {
      return bad_parameter("RedrivePolicy", v,
                           "Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].");
    }
  }
  if (p.dead_letter_target_arn.empty())
    return bad_parameter("RedrivePolicy", v, "Redrive policy does not contain deadLetterTargetArn.");
  if (!has_count) return bad_parameter("RedrivePolicy", v, "Redrive policy does not contain maxReceiveCount.");
  auto arn = parse_arn(p.dead_letter_target_arn);
  if (!arn || arn->service != "sqs") return bad_parameter("RedrivePolicy", v, "Invalid deadLetterTargetArn.");
  a.redrive_policy = std::move(p);
  return {};
}

std::string get_redrive_policy(const QueueAttributes& a) {
  if (!a.redrive_policy) return "";
  json doc = {{"deadLetterTargetArn", a.redrive_policy->dead_letter_target_arn},
              {"maxReceiveCount", a.redrive_policy->max_receive_count}};
  return doc.dump();
}

Status set_redrive_allow_policy(QueueAttributes& a, std::string_view v) {
  if (v.empty()) {
    a.redrive_allow_policy.reset();
    return {};
  }
  json doc = json::parse(v, nullptr, false);
  if (!doc.is_object()) return bad_parameter("RedriveAllowPolicy", v, "Redrive allow policy is not a valid JSON map.");
  RedriveAllowPolicy p;
  bool has_permission = false, has_sources = false;
  for (auto& [key, val] : doc.items()) {
    if (key == "redrivePermission") {
      auto s = val.is_string() ? val.get<std::string>() : std::string();
      auto it = std::find(kPermissions.begin(), kPermissions.end(), s);
      if (it == kPermissions.end())
        return bad_parameter("RedriveAllowPolicy", v, "Invalid value for redrivePermission.");
      p.permission = RedrivePermission(it - kPermissions.begin());
      has_permission = true;
    } else if (key == "sourceQueueArns") {
      if (!val.is_array()) return bad_parameter("RedriveAllowPolicy", v, "sourceQueueArns must be a list.");
      for (auto& arn : val) {
        if (!arn.is_string() || !parse_arn(arn.get<std::string>()))
          return bad_parameter("RedriveAllowPolicy", v, "Invalid value in sourceQueueArns.");
        p.source_queue_arns.push_back(arn.get<std::string>());
      }
      has_sources = true;
    } else {
      return bad_parameter("RedriveAllowPolicy", v,
                           "Only following attributes are supported: [redrivePermission, sourceQueueArns].");
    }
  }
  if (!has_permission) return bad_parameter("RedriveAllowPolicy", v, "Missing redrivePermission.");
  if (p.permission == RedrivePermission::by_queue) {
    if (p.source_queue_arns.empty() || p.source_queue_arns.size() > limits::kMaxRedriveSourceArns)
      return bad_parameter("RedriveAllowPolicy", v,
                           "sourceQueueArns must hold between 1 and " + std::to_string(limits::kMaxRedriveSourceArns) +
                               " ARNs when redrivePermission is byQueue.");
  } else if (has_sources) {
    return bad_parameter("RedriveAllowPolicy", v, "sourceQueueArns may only be set when redrivePermission is byQueue.");
  }
  a.redrive_allow_policy = std::move(p);
  return {};
}

std::string get_redrive_allow_policy(const QueueAttributes& a) {
  if (!a.redrive_allow_policy) return "";
  json doc = {{"redrivePermission", kPermissions[size_t(a.redrive_allow_policy->permission)]}};
  if (a.redrive_allow_policy->permission == RedrivePermission::by_queue)
    doc["sourceQueueArns"] = a.redrive_allow_policy->source_queue_arns;
  return doc.dump();
}

template <class Enum, size_t N>
std::optional<Enum> lookup(const std::array<std::string_view, N>& names, std::string_view v) {
  auto it = std::find(names.begin(), names.end(), v);
  if (it == names.end()) return std::nullopt;
  return Enum(it - names.begin());
}

const std::vector<AttributeDef> kDefs = {
    INT_ATTR("DelaySeconds", "delaySeconds", delay_seconds, 0, limits::kMaxDelaySeconds,
             "Seconds every message is delayed before it can be received."),
    INT_ATTR("MaximumMessageSize", "maximumMessageSize", maximum_message_size, limits::kMinMessageBytes,
             limits::kMaxMessageBytes, "Largest message accepted, in bytes (body plus message attributes)."),
    INT_ATTR("MessageRetentionPeriod", "messageRetentionPeriod", message_retention_period, limits::kMinRetentionSeconds,
             limits::kMaxRetentionSeconds, "Seconds a message is kept before it is deleted."),
    INT_ATTR("ReceiveMessageWaitTimeSeconds", "receiveMessageWaitTimeSeconds", receive_message_wait_time_seconds, 0,
             limits::kMaxWaitSeconds, "Default long-poll wait of ReceiveMessage, in seconds."),
    INT_ATTR("VisibilityTimeout", "visibilityTimeout", visibility_timeout, 0, limits::kMaxVisibilitySeconds,
             "Seconds a received message stays hidden from other consumers."),
    AttributeDef{"RedrivePolicy",
                 "redrivePolicy",
                 Kind::redrive_policy,
                 0,
                 0,
                 {},
                 false,
                 false,
                 "Dead-letter queue and the receive count after which a message moves there.",
                 set_redrive_policy,
                 get_redrive_policy},
    AttributeDef{"RedriveAllowPolicy",
                 "redriveAllowPolicy",
                 Kind::redrive_allow_policy,
                 0,
                 0,
                 {},
                 false,
                 false,
                 "Which source queues may use this queue as their dead-letter queue.",
                 set_redrive_allow_policy,
                 get_redrive_allow_policy},
    AttributeDef{"Policy",
                 "policy",
                 Kind::text,
                 0,
                 0,
                 {},
                 false,
                 false,
                 "The queue's access policy (an IAM policy document, JSON).",
                 [](QueueAttributes& a, std::string_view v) -> Status {
                   if (!v.empty() && !json::parse(v, nullptr, false).is_object()) return bad_value("Policy");
                   a.policy = std::string(v);
                   return {};
                 },
                 [](const QueueAttributes& a) { return a.policy; }},
    BOOL_ATTR("FifoQueue", "fifoQueue", fifo_queue, false, true,
              "A FIFO queue: strict order per message group and exactly-once processing. "
              "The name must end in .fifo."),
    BOOL_ATTR("ContentBasedDeduplication", "contentBasedDeduplication", content_based_deduplication, true, false,
              "Deduplicate FIFO messages by the SHA-256 of their body."),
    AttributeDef{"DeduplicationScope", "deduplicationScope", Kind::enumeration, 0, 0, kScopes, true, false,
                 "Whether deduplication applies per queue or per message group.",
                 [](QueueAttributes& a, std::string_view v) -> Status {
                   auto e = lookup<DeduplicationScope>(kScopes, v);
                   if (!e) return bad_value("DeduplicationScope");
                   a.deduplication_scope = *e;
                   return {};
                 },
                 [](const QueueAttributes& a) { return std::string(kScopes[size_t(a.deduplication_scope)]); }},
    AttributeDef{
        "FifoThroughputLimit", "fifoThroughputLimit", Kind::enumeration, 0, 0, kThroughputLimits, true, false,
        "Whether the FIFO throughput quota applies per queue or per message group.",
        [](QueueAttributes& a, std::string_view v) -> Status {
          auto e = lookup<FifoThroughputLimit>(kThroughputLimits, v);
          if (!e) return bad_value("FifoThroughputLimit");
          a.fifo_throughput_limit = *e;
          return {};
        },
        [](const QueueAttributes& a) { return std::string(kThroughputLimits[size_t(a.fifo_throughput_limit)]); }},
    AttributeDef{"KmsMasterKeyId",
                 "kmsMasterKeyId",
                 Kind::text,
                 0,
                 0,
                 {},
                 false,
                 false,
                 "KMS key for server-side encryption (recorded; Sluice encrypts nothing).",
                 [](QueueAttributes& a, std::string_view v) -> Status {
                   a.kms_master_key_id = std::string(v);
                   return {};
                 },
                 [](const QueueAttributes& a) { return a.kms_master_key_id; }},
    INT_ATTR("KmsDataKeyReusePeriodSeconds", "kmsDataKeyReusePeriodSeconds", kms_data_key_reuse_period_seconds,
             limits::kMinKmsReuseSeconds, limits::kMaxKmsReuseSeconds,
             "Seconds a KMS data key is reused (recorded only)."),
    BOOL_ATTR("SqsManagedSseEnabled", "sqsManagedSseEnabled", sqs_managed_sse_enabled, false, false,
              "SQS-managed server-side encryption (recorded only)."),
    AttributeDef{"", "durability", Kind::enumeration, 0, 0, kDurabilities, false, false,
                 "How acknowledged writes are kept: sync (fsync before the reply, concurrent requests "
                 "share one fsync), periodic (written before the reply, fsynced every 200 ms), or "
                 "memory (lost on restart).",
                 [](QueueAttributes& a, std::string_view v) -> Status {
                   auto d = parse_durability(v);
                   if (!d) return bad_value("durability");
                   a.durability = *d;
                   return {};
                 },
                 [](const QueueAttributes& a) { return std::string(to_string(a.durability)); }},
};

// Rules between attributes, each with the CEL the CRD checks it with (over a Queue's spec).
const std::vector<AttributeRule> kRules = {
    {"FifoThroughputLimit",
     "!has(self.fifoThroughputLimit) || self.fifoThroughputLimit != 'perMessageGroupId' || "
     "has(self.deduplicationScope) && self.deduplicationScope == 'messageGroup'",
     "fifoThroughputLimit perMessageGroupId requires deduplicationScope messageGroup",
     [](const QueueAttributes& a) {
       return a.fifo_throughput_limit != FifoThroughputLimit::per_message_group_id ||
              a.deduplication_scope == DeduplicationScope::message_group;
     }},
};

}  // namespace

const std::vector<AttributeDef>& attribute_defs() { return kDefs; }
const std::vector<AttributeRule>& attribute_rules() { return kRules; }

Status check_rules(const QueueAttributes& attrs) {
  for (const auto& r : kRules)
    if (!r.holds(attrs))
      return fail(
          errc::invalid_argument, "Attributes." + std::string(r.attribute),
          "Invalid value for the parameter " + std::string(r.attribute) + ". Reason: " + std::string(r.message) + ".");
  return {};
}

const AttributeDef* find_attribute(std::string_view aws_name) {
  for (const auto& d : kDefs)
    if (!d.aws_name.empty() && d.aws_name == aws_name) return &d;
  return nullptr;
}

const AttributeDef* find_spec_field(std::string_view spec_name) {
  for (const auto& d : kDefs)
    if (d.spec_name == spec_name) return &d;
  return nullptr;
}

Status apply_attributes(QueueAttributes& attrs, const std::vector<std::pair<std::string, std::string>>& values,
                        bool creating) {
  QueueAttributes next = attrs;
  // The queue type decides which other names exist, so it goes first. FifoQueue
  // exists only on FIFO queues: on a standard queue AWS calls even "false" unknown.
  for (const auto& [name, value] : values) {
    if (name != "FifoQueue") continue;
    auto b = parse_flag(value);
    if (!creating && attrs.fifo_queue) {
      if (!b || !*b) return bad_value("FifoQueue");
      continue;
    }
    if (!creating || (b && !*b)) return unknown_attribute(name);
    if (auto s = find_attribute(name)->set(next, value); !s) return s;
  }
  bool kms_given = false, sse_given = false;
  for (const auto& [name, value] : values) {
    if (name == "FifoQueue") continue;
    const AttributeDef* def = find_attribute(name);
    if (!def || (def->fifo_only && !next.fifo_queue)) return unknown_attribute(name);
    if (auto s = def->set(next, value); !s) return s;
    kms_given |= name == "KmsMasterKeyId" && !value.empty();
    sse_given |= name == "SqsManagedSseEnabled" && next.sqs_managed_sse_enabled;
  }
  if (kms_given && sse_given)
    return fail(errc::invalid_argument, "Attributes.KmsMasterKeyId",
                "You can use one type of server-side encryption (SSE) at one time. You can either "
                "enable KMS SSE or SQS SSE.");
  if (kms_given) next.sqs_managed_sse_enabled = false;
  if (auto s = check_rules(next); !s) return s;
  attrs = std::move(next);
  return {};
}

std::vector<std::pair<std::string, std::string>> render_attributes(const QueueAttributes& attrs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& d : kDefs) {
    if (d.aws_name.empty() || (d.fifo_only && !attrs.fifo_queue)) continue;
    if (d.aws_name == "FifoQueue" && !attrs.fifo_queue) continue;
    if (d.aws_name == "KmsDataKeyReusePeriodSeconds" && attrs.kms_master_key_id.empty()) continue;
    std::string value = d.get(attrs);
    if (value.empty() &&
        (d.kind == Kind::text || d.kind == Kind::redrive_policy || d.kind == Kind::redrive_allow_policy))
      continue;
    out.emplace_back(d.aws_name, std::move(value));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> encode_attributes(const QueueAttributes& attrs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& d : kDefs) out.emplace_back(d.spec_name, d.get(attrs));
  return out;
}

Status decode_attributes(QueueAttributes& attrs, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    const AttributeDef* def = find_spec_field(name);
    if (!def) return fail(errc::storage_failure, "", "The stored queue record has an unknown field " + name + ".");
    if (auto s = def->set(attrs, value); !s) return s;
  }
  return {};
}

}  // namespace sluice::queue
