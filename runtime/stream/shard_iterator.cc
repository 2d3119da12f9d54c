#include "runtime/stream/shard_iterator.h"

#include "runtime/common/base64.h"
#include "runtime/common/codec.h"

namespace sluice::stream {
namespace {

constexpr char kMagic = 'I';
constexpr char kVersion = 1;
constexpr size_t kSize = 2 + 8 + 4 + 8 + 8;

}  // namespace

std::string encode_iterator(const ShardIterator& it) {
  std::string raw;
  raw.reserve(kSize);
  raw.push_back(kMagic);
  raw.push_back(kVersion);
  codec::put_u64_be(raw, it.stream_uid);
  for (int i = 3; i >= 0; --i) raw.push_back(char(uint8_t(it.shard >> (8 * i))));
  codec::put_u64_be(raw, it.position);
  codec::put_u64_be(raw, uint64_t(it.issued_ms));
  return base64_encode(raw);
}

std::optional<ShardIterator> decode_iterator(std::string_view token) {
  if (token.empty() || token.size() > 512) return std::nullopt;
  auto raw = base64_decode(token);
  if (!raw || raw->size() != kSize || (*raw)[0] != kMagic || (*raw)[1] != kVersion) return std::nullopt;
  std::string_view in(*raw);
  ShardIterator it;
  it.stream_uid = codec::get_u64_be(in.substr(2));
  for (int i = 0; i < 4; ++i) it.shard = (it.shard << 8) | uint8_t(in[10 + i]);
  it.position = codec::get_u64_be(in.substr(14));
  it.issued_ms = TimeMs(codec::get_u64_be(in.substr(22)));
  return it;
}

}  // namespace sluice::stream
