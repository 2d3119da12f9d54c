#pragma once
// MD5 and SHA-256 (OpenSSL). SQS clients verify MD5s of bodies and attributes;
// FIFO content-based deduplication uses SHA-256 of the body.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

using Md5 = std::array<uint8_t, 16>;
using Sha256 = std::array<uint8_t, 32>;

// Incremental MD5, for digests fed piece by piece (message attributes).
class Md5Builder {
 public:
  Md5Builder();
  ~Md5Builder();
  Md5Builder(const Md5Builder&) = delete;
  Md5Builder& operator=(const Md5Builder&) = delete;
  void update(std::string_view bytes);
  Md5 finish();

 private:
  void* ctx_;  // EVP_MD_CTX, kept opaque so OpenSSL headers stay out of users
};

Md5 md5(std::string_view bytes);
Sha256 sha256(std::string_view bytes);

// Lowercase hexadecimal, as SQS renders digests.
std::string to_hex(const uint8_t* data, size_t size);
template <size_t N>
std::string to_hex(const std::array<uint8_t, N>& a) {
  return to_hex(a.data(), N);
}

}  // namespace sluice
