#include "runtime/topic/token.h"

#include <openssl/rand.h>

#include <array>

#include "runtime/common/random.h"

namespace sluice::topic {

std::string random_token() {
  std::array<unsigned char, 64> bytes{};
  if (RAND_bytes(bytes.data(), int(bytes.size())) != 1)
    for (size_t i = 0; i < bytes.size(); i += 8) {  // never expected; still better than failing a Subscribe
      const uint64_t r = random_u64();
      for (size_t j = 0; j < 8; ++j) bytes[i + j] = uint8_t(r >> (8 * j));
    }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace sluice::topic
