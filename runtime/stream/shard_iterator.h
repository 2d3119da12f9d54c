#pragma once
// Shard iterators: opaque to clients, a position for the engine. The token
// carries the stream's uid (so an iterator never reads a stream deleted and made
// again under its name), the shard, the next counter to read and when it was
// issued (iterators expire after 5 minutes), as base64.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/common/clock.h"

namespace sluice::stream {

inline constexpr TimeMs kIteratorLifetimeMs = 5 * 60 * 1000;

struct ShardIterator {
  uint64_t stream_uid = 0;
  uint32_t shard = 0;
  uint64_t position = 0;  // the first counter not yet read
  TimeMs issued_ms = 0;
};

std::string encode_iterator(const ShardIterator& it);
// nullopt for a token this engine did not make.
std::optional<ShardIterator> decode_iterator(std::string_view token);

}  // namespace sluice::stream
