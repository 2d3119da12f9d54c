#include "runtime/queue/queue_format.h"

#include <algorithm>

#include "runtime/common/codec.h"

namespace sluice::queue::format {
namespace {

constexpr uint8_t kQueueRecordVersion = 1;
constexpr uint8_t kMetaVersion = 1;
constexpr uint8_t kDedupVersion = 1;
constexpr size_t kUidKeyBytes = 1 + 8;      // tag, uid
constexpr size_t kSeqKeyBytes = 1 + 8 + 8;  // tag, uid, seq

std::string seq_key(storage::Tag tag, uint64_t uid, Seq seq) {
  std::string k = uid_prefix(tag, uid);
  codec::put_u64_be(k, seq);
  return k;
}

}  // namespace

std::string queue_key(std::string_view region, std::string_view account, std::string_view name) {
  std::string k = storage::key_of(storage::Tag::queue);
  k.reserve(3 + region.size() + account.size() + name.size());
  k.append(region);
  k.push_back('\0');
  k.append(account);
  k.push_back('\0');
  k.append(name);
  return k;
}

std::optional<QueueKeyParts> parse_queue_key(std::string_view key) {
  if (key.empty() || key[0] != char(storage::Tag::queue)) return std::nullopt;
  key.remove_prefix(1);
  auto first = key.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = key.find('\0', first + 1);
  QueueKeyParts parts;
  if (second == std::string_view::npos) {  // before regions: account \0 name
    parts.account = std::string(key.substr(0, first));
    parts.name = std::string(key.substr(first + 1));
  } else {
    parts.region = std::string(key.substr(0, first));
    parts.account = std::string(key.substr(first + 1, second - first - 1));
    parts.name = std::string(key.substr(second + 1));
    if (parts.region.empty()) return std::nullopt;
  }
  if (parts.account.empty() || parts.name.empty()) return std::nullopt;
  return parts;
}

std::string uid_prefix(storage::Tag tag, uint64_t uid) {
  std::string k;
  k.reserve(kSeqKeyBytes);
  k.push_back(char(tag));
  codec::put_u64_be(k, uid);
  return k;
}

uint64_t uid_of(std::string_view key) { return key.size() < kUidKeyBytes ? 0 : codec::get_u64_be(key.substr(1)); }

std::string meta_key(uint64_t uid, Seq seq) { return seq_key(storage::Tag::message_meta, uid, seq); }
std::string blob_key(uint64_t uid, Seq seq) { return seq_key(storage::Tag::message_blob, uid, seq); }

std::string dedup_key(uint64_t uid, std::string_view dedup) {
  std::string k = uid_prefix(storage::Tag::dedup, uid);
  k.append(dedup);
  return k;
}

Seq seq_of(std::string_view key) {
  return key.size() != kSeqKeyBytes ? 0 : codec::get_u64_be(key.substr(kUidKeyBytes));
}

std::string_view dedup_of(std::string_view key) {
  return key.size() < kUidKeyBytes ? std::string_view() : key.substr(kUidKeyBytes);
}

std::string encode_queue_record(const QueueRecord& r) {
  std::string v(1, char(kQueueRecordVersion));
  codec::put_varint(v, r.uid);
  codec::put_signed(v, r.created_ms);
  codec::put_signed(v, r.modified_ms);
  codec::put_pairs(v, r.fields);
  codec::put_pairs(v, r.tags);
  return v;
}

std::optional<QueueRecord> decode_queue_record(std::string_view value) {
  if (value.empty() || uint8_t(value[0]) != kQueueRecordVersion) return std::nullopt;
  codec::Reader r(value.substr(1));
  QueueRecord out;
  if (!r.varint(out.uid) || out.uid == 0 || !r.signed_varint(out.created_ms) || !r.signed_varint(out.modified_ms) ||
      !r.pairs(out.fields) || !r.pairs(out.tags) || !r.done())
    return std::nullopt;
  return out;
}

std::string encode_message_meta(const MessageMeta& m) {
  std::string v;
  v.reserve(48 + m.group_id.size());
  v.push_back(char(kMetaVersion));
  v.append(reinterpret_cast<const char*>(m.id.data()), m.id.size());
  codec::put_signed(v, m.sent_ms);
  codec::put_signed(v, m.available_ms);
  codec::put_signed(v, m.first_receive_ms);
  codec::put_signed(v, m.received_ms);
  codec::put_varint(v, m.receive_count);
  codec::put_varint(v, m.nonce);
  codec::put_varint(v, m.size);
  codec::put_bytes(v, m.group_id);
  return v;
}

std::optional<MessageMeta> decode_message_meta(std::string_view value) {
  constexpr size_t kFixed = 1 + sizeof(MessageId);  // version, message id
  if (value.size() < kFixed || uint8_t(value[0]) != kMetaVersion) return std::nullopt;
  MessageMeta m;
  std::copy(value.begin() + 1, value.begin() + kFixed, m.id.begin());
  codec::Reader r(value.substr(kFixed));
  if (!r.signed_varint(m.sent_ms) || !r.signed_varint(m.available_ms) || !r.signed_varint(m.first_receive_ms) ||
      !r.signed_varint(m.received_ms) || !r.varint_as(m.receive_count) || !r.varint_as(m.nonce) ||
      !r.varint_as(m.size) || !r.bytes(m.group_id) || !r.done())
    return std::nullopt;
  return m;
}

std::string encode_dedup(const DedupEntry& e) {
  std::string v(1, char(kDedupVersion));
  codec::put_bytes(v, e.message_id);
  codec::put_bytes(v, e.sequence_number);
  codec::put_signed(v, e.expires_ms);
  return v;
}

std::optional<DedupEntry> decode_dedup(std::string_view value) {
  if (value.empty() || uint8_t(value[0]) != kDedupVersion) return std::nullopt;
  codec::Reader r(value.substr(1));
  DedupEntry e;
  if (!r.bytes(e.message_id) || !r.bytes(e.sequence_number) || !r.signed_varint(e.expires_ms) || !r.done())
    return std::nullopt;
  return e;
}

}  // namespace sluice::queue::format
