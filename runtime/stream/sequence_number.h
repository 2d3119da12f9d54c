#pragma once
// Sequence numbers, as AWS-shaped decimal strings. A record's position in its
// shard is the shard's counter, strictly increasing and time-based (at least
// the arrival time in ms << 20, as queue sequences are), so that positions sort
// by arrival across shards too. The text is "49", the counter in 20 digits and
// the shard's index in 10: fixed length, so text order is numeric order, and a
// sequence number names the shard it came from.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/common/clock.h"

namespace sluice::stream {

struct SequenceNumber {
  uint64_t counter = 0;
  uint32_t shard = 0;
};

std::string format_sequence(uint64_t counter, uint32_t shard);
// nullopt for anything that is not a sequence number this engine made.
std::optional<SequenceNumber> parse_sequence(std::string_view text);

// The lowest counter of a record that arrived at `ms`; the arrival of a counter.
inline uint64_t counter_at(TimeMs ms) { return ms <= 0 ? 0 : uint64_t(ms) << 20; }
inline TimeMs time_of(uint64_t counter) { return TimeMs(counter >> 20); }

}  // namespace sluice::stream
