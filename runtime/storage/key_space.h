#pragma once
// Every kind of record in the store, by the tag byte its keys start with: one
// list, so that two engines never pick the same byte. LAYOUT.md has the same
// table with each record's key and value, and storage_test checks that the two
// agree. An engine's record formats are encoded and decoded in one file of its
// own (runtime/queue/queue_format.h for the queue engine).

#include <array>
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
};

// A key (or key prefix) that starts with `tag`.
inline std::string key_of(Tag tag) { return std::string(1, char(tag)); }

}  // namespace sluice::storage
