#pragma once
// The topic engine's records in the store, encoded and decoded here and nowhere
// else; runtime/storage/LAYOUT.md describes the same formats. Integers in keys
// are 8-byte big-endian (key order is numeric order); values start with a format
// version byte and use the varints of runtime/common/codec.h.
//
//   T region \0 account \0 name        -> TopicRecord
//   S topic_uid(8) sub_uid(8)          -> SubscriptionRecord
//   C sub_uid(8)                       -> the subscription's cursor (varint)
//   N topic_uid(8) seq(8)              -> a published message

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/common/clock.h"
#include "runtime/storage/key_space.h"
#include "runtime/topic/attributes.h"
#include "runtime/topic/published.h"

namespace sluice::topic::format {

std::string topic_key(std::string_view region, std::string_view account, std::string_view name);
struct TopicKeyParts {
  std::string region, account, name;
};
std::optional<TopicKeyParts> parse_topic_key(std::string_view key);

struct TopicRecord {
  uint64_t uid = 0;
  TimeMs created_ms = 0;
  Attributes attributes;
  StringPairs tags;
  std::string data_protection_policy;
};
std::string encode_topic(const TopicRecord& record);
std::optional<TopicRecord> decode_topic(std::string_view value);

enum class SubscriptionState : uint8_t { pending = 0, confirmed = 1 };

struct SubscriptionRecord {
  uint64_t uid = 0;
  std::string id;  // the last part of the ARN (a UUID)
  std::string protocol;
  std::string endpoint;
  std::string owner;  // account
  SubscriptionState state = SubscriptionState::pending;
  std::string token;  // confirmation token while pending
  TimeMs token_expires_ms = 0;
  bool authenticated = false;  // ConfirmationWasAuthenticated
  TimeMs created_ms = 0;
  Attributes attributes;
  std::string resource;  // the Subscription resource's name, for subscriptions made from one
};
std::string subscription_prefix(uint64_t topic_uid);
std::string subscription_key(uint64_t topic_uid, uint64_t sub_uid);
uint64_t topic_uid_of_subscription_key(std::string_view key);
std::string encode_subscription(const SubscriptionRecord& record);
std::optional<SubscriptionRecord> decode_subscription(std::string_view value);

std::string cursor_key(uint64_t sub_uid);
uint64_t sub_uid_of_cursor_key(std::string_view key);
std::string encode_cursor(Seq cursor);
std::optional<Seq> decode_cursor(std::string_view value);

std::string message_prefix(uint64_t topic_uid);
std::string message_key(uint64_t topic_uid, Seq seq);
Seq seq_of_message_key(std::string_view key);
uint64_t topic_uid_of_message_key(std::string_view key);
std::string encode_message(const Published& message);
// Fills `out` (a fresh Published); false if the value is not a message record.
bool decode_message(std::string_view value, Published& out);

}  // namespace sluice::topic::format
