#include "runtime/topic/topic_format.h"

#include "runtime/common/codec.h"

namespace sluice::topic::format {
namespace {

using storage::Tag;

constexpr uint8_t kVersion = 1;

std::string tagged(Tag tag) { return storage::key_of(tag); }

bool version_ok(codec::Reader& r) {
  uint8_t v;
  return r.u8(v) && v == kVersion;
}

uint64_t u64_at(std::string_view key, size_t at) {
  return key.size() >= at + 8 ? codec::get_u64_be(key.substr(at, 8)) : 0;
}

}  // namespace

std::string topic_key(std::string_view region, std::string_view account, std::string_view name) {
  return storage::named_key(Tag::topic, region, account, name);
}

std::optional<TopicKeyParts> parse_topic_key(std::string_view key) {
  auto k = storage::parse_named_key(Tag::topic, key);
  if (!k) return std::nullopt;
  return TopicKeyParts{std::move(k->region), std::move(k->account), std::move(k->name)};
}

std::string encode_topic(const TopicRecord& t) {
  std::string out(1, char(kVersion));
  codec::put_varint(out, t.uid);
  codec::put_signed(out, t.created_ms);
  codec::put_pairs(out, t.attributes);
  codec::put_pairs(out, t.tags);
  codec::put_bytes(out, t.data_protection_policy);
  return out;
}

std::optional<TopicRecord> decode_topic(std::string_view value) {
  codec::Reader r(value);
  TopicRecord t;
  if (!version_ok(r) || !r.varint(t.uid) || !r.signed_varint(t.created_ms) || !r.pairs(t.attributes) ||
      !r.pairs(t.tags) || !r.bytes(t.data_protection_policy) || !r.done())
    return std::nullopt;
  return t;
}

std::string subscription_prefix(uint64_t topic_uid) {
  std::string k = tagged(Tag::subscription);
  codec::put_u64_be(k, topic_uid);
  return k;
}

std::string subscription_key(uint64_t topic_uid, uint64_t sub_uid) {
  std::string k = subscription_prefix(topic_uid);
  codec::put_u64_be(k, sub_uid);
  return k;
}

uint64_t topic_uid_of_subscription_key(std::string_view key) { return u64_at(key, 1); }

std::string encode_subscription(const SubscriptionRecord& s) {
  std::string out(1, char(kVersion));
  codec::put_varint(out, s.uid);
  codec::put_bytes(out, s.id);
  codec::put_bytes(out, s.protocol);
  codec::put_bytes(out, s.endpoint);
  codec::put_bytes(out, s.owner);
  out.push_back(char(s.state));
  codec::put_bytes(out, s.token);
  codec::put_signed(out, s.token_expires_ms);
  out.push_back(char(s.authenticated ? 1 : 0));
  codec::put_signed(out, s.created_ms);
  codec::put_pairs(out, s.attributes);
  codec::put_bytes(out, s.resource);
  return out;
}

std::optional<SubscriptionRecord> decode_subscription(std::string_view value) {
  codec::Reader r(value);
  SubscriptionRecord s;
  uint8_t state = 0, authenticated = 0;
  if (!version_ok(r) || !r.varint(s.uid) || !r.bytes(s.id) || !r.bytes(s.protocol) || !r.bytes(s.endpoint) ||
      !r.bytes(s.owner) || !r.u8(state) || state > 1 || !r.bytes(s.token) || !r.signed_varint(s.token_expires_ms) ||
      !r.u8(authenticated) || !r.signed_varint(s.created_ms) || !r.pairs(s.attributes) || !r.bytes(s.resource) ||
      !r.done())
    return std::nullopt;
  s.state = SubscriptionState(state);
  s.authenticated = authenticated != 0;
  return s;
}

std::string cursor_key(uint64_t sub_uid) {
  std::string k = tagged(Tag::subscription_cursor);
  codec::put_u64_be(k, sub_uid);
  return k;
}

uint64_t sub_uid_of_cursor_key(std::string_view key) { return u64_at(key, 1); }

std::string encode_cursor(Seq cursor) {
  std::string out(1, char(kVersion));
  codec::put_varint(out, cursor);
  return out;
}

std::optional<Seq> decode_cursor(std::string_view value) {
  codec::Reader r(value);
  Seq s = 0;
  if (!version_ok(r) || !r.varint(s) || !r.done()) return std::nullopt;
  return s;
}

std::string message_prefix(uint64_t topic_uid) {
  std::string k = tagged(Tag::topic_message);
  codec::put_u64_be(k, topic_uid);
  return k;
}

std::string message_key(uint64_t topic_uid, Seq seq) {
  std::string k = message_prefix(topic_uid);
  codec::put_u64_be(k, seq);
  return k;
}

Seq seq_of_message_key(std::string_view key) { return u64_at(key, 9); }
uint64_t topic_uid_of_message_key(std::string_view key) { return u64_at(key, 1); }

std::string encode_message(const Published& m) {
  const auto& e = m.entry;
  std::string out(1, char(kVersion));
  codec::put_varint(out, m.seq);
  codec::put_bytes(out, m.message_id);
  codec::put_signed(out, m.timestamp_ms);
  codec::put_bytes(out, e.message);
  codec::put_pairs(out, e.structured);
  out.push_back(char(e.subject ? 1 : 0));
  if (e.subject) codec::put_bytes(out, *e.subject);
  codec::put_varint(out, e.attributes.size());
  for (const auto& [name, a] : e.attributes) {
    codec::put_bytes(out, name);
    codec::put_bytes(out, a.data_type);
    codec::put_bytes(out, a.value);
  }
  codec::put_bytes(out, e.group_id);
  codec::put_bytes(out, e.deduplication_id);
  codec::put_bytes(out, e.trace_header);
  return out;
}

bool decode_message(std::string_view value, Published& m) {
  codec::Reader r(value);
  auto& e = m.entry;
  uint8_t has_subject = 0;
  uint64_t n = 0;
  if (!version_ok(r) || !r.varint(m.seq) || !r.bytes(m.message_id) || !r.signed_varint(m.timestamp_ms) ||
      !r.bytes(e.message) || !r.pairs(e.structured) || !r.u8(has_subject))
    return false;
  if (has_subject) {
    std::string s;
    if (!r.bytes(s)) return false;
    e.subject = std::move(s);
  }
  if (!r.varint(n) || n > 1000) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string name;
    MessageAttribute a;
    if (!r.bytes(name) || !r.bytes(a.data_type) || !r.bytes(a.value)) return false;
    e.attributes.emplace(std::move(name), std::move(a));
  }
  return r.bytes(e.group_id) && r.bytes(e.deduplication_id) && r.bytes(e.trace_header) && r.done();
}

}  // namespace sluice::topic::format
