#pragma once
// Small text helpers shared by the engines: strict number parsing (no locale, no
// leading '+', no trailing junk) and the character rules AWS applies to message
// bodies.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

std::optional<int64_t> parse_int64(std::string_view s);
std::optional<bool> parse_bool(std::string_view s);  // "true" / "false" only

// True if `s` is valid UTF-8 made only of the characters SQS accepts in a message:
// #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
bool is_valid_message_text(std::string_view s);

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629, table 3-7:
// no overlongs, no surrogates, nothing above U+10FFFF), or 0 if there is none.
size_t utf8_sequence_length(std::string_view s, size_t i);
// True if all of `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);
// Characters (code points) of well-formed UTF-8: what AWS's length limits count.
size_t utf8_length(std::string_view s);

// Percent-encodes everything but RFC 3986's unreserved characters (for query strings).
std::string url_encode(std::string_view s);

bool starts_with_ignore_case(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);

// Decimal with zero padding, e.g. pad_decimal(42, 20) == "00000000000000000042".
std::string pad_decimal(uint64_t v, int width);

}  // namespace sluice
