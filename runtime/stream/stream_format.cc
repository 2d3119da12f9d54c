#include "runtime/stream/stream_format.h"

#include "runtime/common/codec.h"

namespace sluice::stream::format {
namespace {

using storage::Tag;

constexpr uint8_t kStreamVersion = 1;
constexpr uint8_t kRecordVersion = 1;

void put_u32_be(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(char(uint8_t(v >> (8 * i))));
}
uint32_t get_u32_be(std::string_view in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | uint8_t(in[i]);
  return v;
}

void put_hash(std::string& out, HashKey k) {
  codec::put_u64_be(out, uint64_t(k >> 64));
  codec::put_u64_be(out, uint64_t(k));
}
bool get_hash(codec::Reader& r, HashKey& k) {
  std::string_view raw;
  if (!r.bytes(raw) || raw.size() != 16) return false;
  k = (HashKey(codec::get_u64_be(raw)) << 64) | codec::get_u64_be(raw.substr(8));
  return true;
}
void put_hash_field(std::string& out, HashKey k) {
  std::string raw;
  put_hash(raw, k);
  codec::put_bytes(out, raw);
}

void put_shard(std::string& out, const ShardRecord& s) {
  codec::put_varint(out, s.index);
  codec::put_varint(out, uint64_t(s.parent) + 1);  // kNoShard as 0
  codec::put_varint(out, uint64_t(s.adjacent_parent) + 1);
  put_hash_field(out, s.range.start);
  put_hash_field(out, s.range.end);
  codec::put_varint(out, s.starting);
  codec::put_varint(out, s.ending);
  codec::put_signed(out, s.created_ms);
}
bool get_shard_index(codec::Reader& r, uint32_t& out) {
  uint64_t v;
  if (!r.varint(v) || v > uint64_t(UINT32_MAX) + 1) return false;
  out = uint32_t(v - 1);  // 0 was kNoShard
  return true;
}
bool get_shard(codec::Reader& r, ShardRecord& s) {
  return r.varint_as(s.index) && get_shard_index(r, s.parent) && get_shard_index(r, s.adjacent_parent) &&
         get_hash(r, s.range.start) && get_hash(r, s.range.end) && r.varint(s.starting) && r.varint(s.ending) &&
         r.signed_varint(s.created_ms);
}

template <class T, class Get>
bool get_list(codec::Reader& r, std::vector<T>& out, Get get) {
  uint64_t n;
  if (!r.varint(n) || n > 1'000'000) return false;
  out.resize(n);
  for (auto& item : out)
    if (!get(r, item)) return false;
  return true;
}

}  // namespace

std::string stream_key(std::string_view region, std::string_view account, std::string_view name) {
  return storage::named_key(Tag::stream, region, account, name);
}

std::optional<storage::NamedKey> parse_stream_key(std::string_view key) {
  return storage::parse_named_key(Tag::stream, key);
}

std::string encode_stream(const StreamRecord& s) {
  std::string out(1, char(kStreamVersion));
  codec::put_varint(out, s.uid);
  codec::put_signed(out, s.created_ms);
  out.push_back(char(s.mode));
  codec::put_signed(out, s.retention_hours);
  codec::put_signed(out, s.max_record_kib);
  codec::put_bytes(out, s.encryption_key);
  codec::put_pairs(out, s.tags);
  codec::put_bytes(out, s.policy);
  codec::put_varint(out, s.shard_metrics.size());
  for (const auto& m : s.shard_metrics) codec::put_bytes(out, m);
  out.push_back(char(s.fidelity));
  codec::put_varint(out, s.rescaled_ms.size());
  for (TimeMs t : s.rescaled_ms) codec::put_signed(out, t);
  codec::put_varint(out, s.shards.size());
  for (const auto& shard : s.shards) put_shard(out, shard);
  codec::put_varint(out, s.next_shard);
  codec::put_varint(out, s.consumers.size());
  for (const auto& c : s.consumers) {
    codec::put_bytes(out, c.name);
    codec::put_signed(out, c.created_ms);
  }
  codec::put_bytes(out, s.resource);
  return out;
}

std::optional<StreamRecord> decode_stream(std::string_view value) {
  codec::Reader r(value);
  StreamRecord s;
  uint8_t version = 0, mode = 0, fidelity = 0;
  const bool ok =
      r.u8(version) && version == kStreamVersion && r.varint(s.uid) && r.signed_varint(s.created_ms) && r.u8(mode) &&
      mode <= 1 && r.signed_varint(s.retention_hours) && r.signed_varint(s.max_record_kib) &&
      r.bytes(s.encryption_key) && r.pairs(s.tags) && r.bytes(s.policy) &&
      get_list(r, s.shard_metrics, [](codec::Reader& in, std::string& m) { return in.bytes(m); }) && r.u8(fidelity) &&
      fidelity <= 1 && get_list(r, s.rescaled_ms, [](codec::Reader& in, TimeMs& t) { return in.signed_varint(t); }) &&
      get_list(r, s.shards, get_shard) && r.varint_as(s.next_shard) &&
      get_list(
          r, s.consumers,
          [](codec::Reader& in, ConsumerRecord& c) { return in.bytes(c.name) && in.signed_varint(c.created_ms); }) &&
      r.bytes(s.resource) && r.done();
  if (!ok) return std::nullopt;
  s.mode = Mode(mode);
  s.fidelity = fidelity != 0;
  return s;
}

std::string records_prefix(uint64_t stream_uid) {
  std::string k = storage::key_of(Tag::stream_record);
  codec::put_u64_be(k, stream_uid);
  return k;
}

std::string shard_prefix(uint64_t stream_uid, uint32_t shard) {
  std::string k = records_prefix(stream_uid);
  put_u32_be(k, shard);
  return k;
}

std::string record_key(uint64_t stream_uid, uint32_t shard, uint64_t counter) {
  std::string k;
  k.reserve(kRecordKeyBytes);
  k.push_back(char(Tag::stream_record));
  codec::put_u64_be(k, stream_uid);
  put_u32_be(k, shard);
  codec::put_u64_be(k, counter);
  return k;
}

uint64_t stream_uid_of_record_key(std::string_view key) {
  return key.size() >= 9 ? codec::get_u64_be(key.substr(1)) : 0;
}
uint32_t shard_of_record_key(std::string_view key) { return key.size() >= 13 ? get_u32_be(key.substr(9)) : 0; }
uint64_t counter_of_record_key(std::string_view key) {
  return key.size() >= kRecordKeyBytes ? codec::get_u64_be(key.substr(13)) : 0;
}

void encode_record(std::string& out, TimeMs arrival_ms, bool encrypted, std::string_view partition_key,
                   std::string_view data) {
  out.push_back(char(kRecordVersion));
  codec::put_signed(out, arrival_ms);
  out.push_back(char(encrypted));
  codec::put_bytes(out, partition_key);
  codec::put_bytes(out, data);
}

bool decode_record(std::string_view value, StoredRecord& out) {
  codec::Reader r(value);
  uint8_t version = 0, encrypted = 0;
  if (!r.u8(version) || version != kRecordVersion || !r.signed_varint(out.arrival_ms) || !r.u8(encrypted) ||
      !r.bytes(out.partition_key) || !r.bytes(out.data) || !r.done())
    return false;
  out.encrypted = encrypted != 0;
  return true;
}

std::optional<TimeMs> arrival_of_record(std::string_view value) {
  codec::Reader r(value);
  uint8_t version = 0;
  TimeMs t = 0;
  if (!r.u8(version) || version != kRecordVersion || !r.signed_varint(t)) return std::nullopt;
  return t;
}

}  // namespace sluice::stream::format
