#pragma once
// The 128-bit hash-key space a stream's shards divide among themselves. A
// record's hash key is the MD5 of its partition key read as a big-endian
// unsigned integer, or the ExplicitHashKey the producer gives; AWS writes hash
// keys as decimal strings.

#include <optional>
#include <string>
#include <string_view>

namespace sluice::stream {

__extension__ using HashKey = unsigned __int128;  // g++ and clang; -Wpedantic needs the marker
inline constexpr HashKey kMaxHashKey = ~HashKey(0);

struct HashRange {
  HashKey start = 0;
  HashKey end = kMaxHashKey;  // inclusive
  bool contains(HashKey k) const { return start <= k && k <= end; }
  bool operator==(const HashRange&) const = default;
};

std::string to_decimal(HashKey key);
// AWS's pattern 0|([1-9]\d{0,38}), and at most 2^128 - 1.
std::optional<HashKey> parse_hash_key(std::string_view text);
HashKey hash_of_partition_key(std::string_view partition_key);

// The i-th of n ranges CreateStream makes: [i·⌊2^128/n⌋, (i+1)·⌊2^128/n⌋ − 1],
// the last one ending at 2^128 − 1.
HashRange even_range(size_t i, size_t n);

}  // namespace sluice::stream
