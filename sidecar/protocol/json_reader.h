#pragma once
// Parses AWS JSON 1.0 request bodies. Accepts exactly what nlohmann's parser
// accepts (RFC 8259, well-formed UTF-8, paired surrogates, one leading byte order
// mark) and builds the same value, but copies runs of plain characters in bulk
// instead of one byte at a time: nlohmann's lexer was the largest user-space cost
// of a SendMessage.
// Nesting deeper than 512 levels is refused rather than recursed into.

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace sluice::protocol {

// The value, or nullopt when `text` is not one JSON value (surrounded by white space).
std::optional<nlohmann::json> read_json(std::string_view text);

}  // namespace sluice::protocol
