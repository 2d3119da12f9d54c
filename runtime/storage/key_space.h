#pragma once
// Every kind of record in the store, by the tag byte its keys start with: one
// list, so that two engines never pick the same byte. LAYOUT.md has the same
// table with each record's key and value, and storage_test checks that the two
// agree. An engine's record formats are encoded and decoded in one file of its
// own (runtime/queue/queue_format.h for the queue engine).

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::storage {

enum class Tag : char {
  queue = 'Q',                // a queue: attributes, tags, uid
  message_meta = 'M',         // one message's small state (visibility, receive count)
  message_blob = 'B',         // one message's body and attributes
  dedup = 'D',                // a FIFO deduplication entry
  topic = 'T',                // a topic: attributes, tags, uid
  subscription = 'S',         // a subscription: protocol, endpoint, state, attributes
  subscription_cursor = 'C',  // how far a subscription has delivered
  topic_message = 'N',        // a message published to a topic
  stream = 'K',               // a Kinesis stream: settings, tags, shards and their lineage, consumers
  stream_record = 'R',        // one record of one shard of a stream
};

struct TagInfo {
  Tag tag;
  std::string_view name;
};

inline constexpr std::array kTags = {
    TagInfo{Tag::queue, "queue"},
    TagInfo{Tag::message_meta, "message_meta"},
    TagInfo{Tag::message_blob, "message_blob"},
    TagInfo{Tag::dedup, "dedup"},
    TagInfo{Tag::topic, "topic"},
    TagInfo{Tag::subscription, "subscription"},
    TagInfo{Tag::subscription_cursor, "subscription_cursor"},
    TagInfo{Tag::topic_message, "topic_message"},
    TagInfo{Tag::stream, "stream"},
    TagInfo{Tag::stream_record, "stream_record"},
};

// A key (or key prefix) that starts with `tag`.
inline std::string key_of(Tag tag) { return std::string(1, char(tag)); }

// The key of a resource named per region and account (a topic, a stream):
// tag region \0 account \0 name.
inline std::string named_key(Tag tag, std::string_view region, std::string_view account, std::string_view name) {
  std::string k = key_of(tag);
  k.append(region).push_back('\0');
  k.append(account).push_back('\0');
  k.append(name);
  return k;
}

struct NamedKey {
  std::string region, account, name;
};
inline std::optional<NamedKey> parse_named_key(Tag tag, std::string_view key) {
  if (key.empty() || key[0] != char(tag)) return std::nullopt;
  key.remove_prefix(1);
  const auto a = key.find('\0');
  if (a == std::string_view::npos) return std::nullopt;
  const auto b = key.find('\0', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  return NamedKey{std::string(key.substr(0, a)), std::string(key.substr(a + 1, b - a - 1)),
                  std::string(key.substr(b + 1))};
}

}  // namespace sluice::storage
