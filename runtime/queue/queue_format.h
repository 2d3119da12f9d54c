#pragma once
// The queue engine's records in the store, encoded and decoded here and nowhere
// else; runtime/storage/LAYOUT.md describes the same formats, field for field.
// Integers in keys are 8-byte big-endian (key order is numeric order); values
// start with a format version byte and use the varints of runtime/common/codec.h.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/storage/key_space.h"

namespace sluice::queue {

using Seq = uint64_t;  // per queue, strictly increasing; also the FIFO SequenceNumber
using MessageId = std::array<uint8_t, 16>;
using StringPairs = std::vector<std::pair<std::string, std::string>>;

namespace format {

// Q region \0 account \0 name. (Records written before regions were part of the key
// have no region: Q account \0 name.)
std::string queue_key(std::string_view region, std::string_view account, std::string_view name);
struct QueueKeyParts {
  std::string region;  // empty for a record written before regions
  std::string account;
  std::string name;
};
std::optional<QueueKeyParts> parse_queue_key(std::string_view key);

// <tag> uid(8): the prefix of one queue's records of that kind.
std::string uid_prefix(storage::Tag tag, uint64_t uid);
// The uid of an M, B or D key (0 if the key is too short to hold one).
uint64_t uid_of(std::string_view key);
std::string meta_key(uint64_t uid, Seq seq);
std::string blob_key(uint64_t uid, Seq seq);
std::string dedup_key(uint64_t uid, std::string_view dedup);
Seq seq_of(std::string_view meta_or_blob_key);
std::string_view dedup_of(std::string_view dedup_key);

struct QueueRecord {
  uint64_t uid = 0;
  TimeMs created_ms = 0;
  TimeMs modified_ms = 0;
  StringPairs fields;  // attributes by spec name (encode_attributes)
  StringPairs tags;
};
std::string encode_queue_record(const QueueRecord& record);
std::optional<QueueRecord> decode_queue_record(std::string_view value);

struct MessageMeta {
  MessageId id{};
  TimeMs sent_ms = 0;
  TimeMs available_ms = 0;  // delayed until, or invisible until
  TimeMs first_receive_ms = 0;
  TimeMs received_ms = 0;  // start of the current in-flight period
  uint32_t receive_count = 0;
  uint32_t nonce = 0;  // bumped by every receive; part of the receipt handle
  uint32_t size = 0;
  std::string_view group_id;  // decode: a view into the value
};
std::string encode_message_meta(const MessageMeta& meta);
std::optional<MessageMeta> decode_message_meta(std::string_view value);

struct DedupEntry {
  std::string message_id;
  std::string sequence_number;
  TimeMs expires_ms = 0;
};
std::string encode_dedup(const DedupEntry& entry);
std::optional<DedupEntry> decode_dedup(std::string_view value);

}  // namespace format
}  // namespace sluice::queue
