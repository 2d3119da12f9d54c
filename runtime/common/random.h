#pragma once
// Fast non-cryptographic randomness for identifiers (message ids, request ids,
// receipt-handle nonces): a thread-local xoshiro256** seeded from the OS.

#include <array>
#include <cstdint>
#include <string>

namespace sluice {

uint64_t random_u64();

// A random (version 4) UUID in its canonical 36-character form.
std::string uuid4();

// 16 random bytes with the UUID v4 version and variant bits set.
std::array<uint8_t, 16> uuid4_bytes();
std::string format_uuid(const std::array<uint8_t, 16>& bytes);

}  // namespace sluice
