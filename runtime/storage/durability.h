#pragma once
// How an acknowledged write is kept (see store.h). A header of its own so that
// resource specs can name it without depending on the store.

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::storage {

enum class Durability : uint8_t { memory, periodic, sync };

inline std::string_view to_string(Durability d) {
  return d == Durability::sync ? "sync" : d == Durability::periodic ? "periodic" : "memory";
}

inline std::optional<Durability> parse_durability(std::string_view s) {
  for (Durability d : {Durability::sync, Durability::periodic, Durability::memory})
    if (to_string(d) == s) return d;
  return std::nullopt;
}

}  // namespace sluice::storage
