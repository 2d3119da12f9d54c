#pragma once
// Topic and subscription attributes: one table each, which every reader uses:
// CreateTopic/SetTopicAttributes/GetTopicAttributes and Subscribe/
// SetSubscriptionAttributes (AWS names, string values), manifests and the admin
// API (spec names, typed values, via spec.h), the CRDs and reference pages
// (tools/crdgen) and the persisted records. Attributes are kept as SNS keeps
// them, AWS name -> string value, set ones only; typed views are parsed from
// them where the engine acts on them (delivery policy, filter policy, FIFO).

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/common/error.h"

namespace sluice::topic {

using Attributes = std::map<std::string, std::string, std::less<>>;
using StringPairs = std::vector<std::pair<std::string, std::string>>;

namespace limits {
inline constexpr size_t kMaxTopicNameLength = 256;
inline constexpr size_t kMaxMessageBytes = 262'144;  // Publish, and a PublishBatch's entries together
inline constexpr size_t kMaxSubjectLength = 100;
inline constexpr int kMaxBatchEntries = 10;
inline constexpr size_t kMaxBatchEntryIdLength = 80;
inline constexpr int kMaxMessageAttributes = 10;  // what an SQS subscriber can take
inline constexpr size_t kMaxAttributeNameLength = 256;
inline constexpr size_t kMaxGroupIdLength = 128;
inline constexpr size_t kMaxDeduplicationIdLength = 128;
inline constexpr int64_t kDeduplicationIntervalMs = 5 * 60 * 1000;
inline constexpr size_t kMaxTagsPerTopic = 50;
inline constexpr size_t kMaxTagKeyLength = 128;
inline constexpr size_t kMaxTagValueLength = 256;
inline constexpr size_t kMaxDisplayNameLength = 100;
inline constexpr size_t kMaxPolicyBytes = 30'720;
inline constexpr size_t kMaxFilterPolicyBytes = 256 * 1024;
inline constexpr int kListPageSize = 100;  // ListTopics and ListSubscriptions pages
inline constexpr int kMinArchiveDays = 1;
inline constexpr int kMaxArchiveDays = 365;
inline constexpr int64_t kConfirmationTokenLifetimeMs = 2LL * 24 * 3600 * 1000;  // two days
inline constexpr size_t kMaxSubscriptionsPerTopic = 12'500'000;
inline constexpr size_t kMaxFilterPoliciesPerTopic = 200;
}  // namespace limits

struct AttributeDef {
  enum class Kind : uint8_t { text, boolean, integer, json, enumeration };
  std::string_view aws_name;
  std::string_view spec_name;
  Kind kind = Kind::text;
  std::span<const std::string_view> values;  // enumeration values
  bool fifo_only = false;                    // topics: FIFO topics only; subscriptions: subscriptions of one
  bool create_only = false;                  // set at creation, never changed
  std::string_view doc;
  // Checks the value beyond its kind (a policy's syntax), or null. `fifo` is the topic's.
  Status<Error> (*check)(std::string_view name, std::string_view value, bool fifo) = nullptr;
};

const std::vector<AttributeDef>& topic_attribute_defs();
const std::vector<AttributeDef>& subscription_attribute_defs();
const AttributeDef* find_attribute(std::span<const AttributeDef> defs, std::string_view aws_name);

// Checks one attribute's name and value against `defs` and stores it, normalised
// (booleans as true/false; an empty value unsets a policy). Refusals name
// `Attributes.<name>` and say why; on failure nothing changes.
Status<Error> set_attribute(std::span<const AttributeDef> defs, Attributes& attrs, std::string_view name,
                            std::string_view value, bool creating, bool fifo);

bool attribute_true(const Attributes& attrs, std::string_view name);
std::string attribute_or(const Attributes& attrs, std::string_view name, std::string_view fallback);

// The topic name rules: 1-256 of [A-Za-z0-9_-], and ".fifo" exactly for FIFO topics.
Status<Error> validate_topic_name(std::string_view name, bool fifo);

// Tag keys and values as SNS bounds them.
Status<Error> validate_tags(const StringPairs& tags);

}  // namespace sluice::topic
