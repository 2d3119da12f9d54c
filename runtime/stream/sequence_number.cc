#include "runtime/stream/sequence_number.h"

#include <cstdio>

namespace sluice::stream {
namespace {

constexpr size_t kCounterDigits = 20;
constexpr size_t kShardDigits = 10;
constexpr size_t kLength = 2 + kCounterDigits + kShardDigits;

std::optional<uint64_t> digits(std::string_view text) {
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t d = uint64_t(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

std::string format_sequence(uint64_t counter, uint32_t shard) {
  char buf[kLength + 1];
  std::snprintf(buf, sizeof buf, "49%020llu%010u", static_cast<unsigned long long>(counter), shard);
  return std::string(buf, kLength);
}

std::optional<SequenceNumber> parse_sequence(std::string_view text) {
  if (text.size() != kLength || text.substr(0, 2) != "49") return std::nullopt;
  auto counter = digits(text.substr(2, kCounterDigits));
  auto shard = digits(text.substr(2 + kCounterDigits));
  if (!counter || !shard || *shard > UINT32_MAX) return std::nullopt;
  return SequenceNumber{*counter, uint32_t(*shard)};
}

}  // namespace sluice::stream
