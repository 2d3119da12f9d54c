#pragma once
// Binary encoding for records in the embedded store (see runtime/storage/LAYOUT.md).
// Integers in keys are big-endian so that byte order is numeric order; integers in
// values are varints. Reader never reads past its input: every get reports failure.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::codec {

inline void put_u64_be(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(char(uint8_t(v >> (8 * i))));
}

inline uint64_t get_u64_be(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | uint8_t(in[i]);
  return v;
}

inline void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(char(uint8_t(v) | 0x80));
    v >>= 7;
  }
  out.push_back(char(uint8_t(v)));
}

inline void put_signed(std::string& out, int64_t v) {  // zig-zag
  put_varint(out, (uint64_t(v) << 1) ^ uint64_t(v >> 63));
}

inline void put_bytes(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

// Name/value pairs (attributes, tags): a count, then each name and value.
template <class Pairs>
void put_pairs(std::string& out, const Pairs& pairs) {
  put_varint(out, pairs.size());
  for (const auto& [k, v] : pairs) {
    put_bytes(out, k);
    put_bytes(out, v);
  }
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return false;
      uint8_t b = uint8_t(in_.front());
      in_.remove_prefix(1);
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  template <class Int>
  bool varint_as(Int& out) {
    uint64_t v;
    if (!varint(v)) return false;
    out = Int(v);
    return true;
  }
  bool signed_varint(int64_t& v) {
    uint64_t u;
    if (!varint(u)) return false;
    v = int64_t(u >> 1) ^ -int64_t(u & 1);
    return true;
  }
  bool bytes(std::string_view& s) {
    uint64_t n;
    if (!varint(n) || n > in_.size()) return false;
    s = in_.substr(0, n);
    in_.remove_prefix(n);
    return true;
  }
  bool bytes(std::string& s) {
    std::string_view v;
    if (!bytes(v)) return false;
    s.assign(v);
    return true;
  }
  bool u8(uint8_t& v) {
    if (in_.empty()) return false;
    v = uint8_t(in_.front());
    in_.remove_prefix(1);
    return true;
  }
  // Pairs written by put_pairs into a vector of pairs or a map; at most 1,000,000.
  template <class Pairs>
  bool pairs(Pairs& out) {
    uint64_t n = 0;
    if (!varint(n) || n > 1'000'000) return false;
    for (uint64_t i = 0; i < n; ++i) {
      std::string k, v;
      if (!bytes(k) || !bytes(v)) return false;
      if constexpr (requires { out.emplace_back(k, v); }) out.emplace_back(std::move(k), std::move(v));
      else out.emplace(std::move(k), std::move(v));
    }
    return true;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace sluice::codec
