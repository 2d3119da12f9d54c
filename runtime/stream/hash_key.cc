#include "runtime/stream/hash_key.h"

#include <algorithm>

#include "runtime/common/digest.h"

namespace sluice::stream {

std::string to_decimal(HashKey key) {
  if (key == 0) return "0";
  std::string out;
  while (key) {
    out.push_back(char('0' + int(key % 10)));
    key /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::optional<HashKey> parse_hash_key(std::string_view text) {
  if (text.empty() || text.size() > 39 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  HashKey v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const unsigned d = unsigned(c - '0');
    if (v > (kMaxHashKey - d) / 10) return std::nullopt;  // past 2^128 - 1
    v = v * 10 + d;
  }
  return v;
}

HashKey hash_of_partition_key(std::string_view partition_key) {
  const Md5 digest = md5(partition_key);
  HashKey v = 0;
  for (uint8_t b : digest) v = (v << 8) | b;
  return v;
}

HashRange even_range(size_t i, size_t n) {
  // ⌊2^128/n⌋ without overflowing: (2^128 - 1)/n, plus one when n divides 2^128.
  HashKey width = kMaxHashKey / n;
  if (kMaxHashKey % n == n - 1) ++width;
  HashRange r;
  r.start = width * i;
  r.end = i + 1 == n ? kMaxHashKey : width * (i + 1) - 1;
  return r;
}

}  // namespace sluice::stream
