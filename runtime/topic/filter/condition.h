#pragma once
// One compiled condition of a filter policy (an entry of a key's array) and the
// values it is matched against. Everything a condition needs is worked out when
// the policy is parsed: numbers scaled, CIDR ranges as bytes, case folded.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/topic/filter/wildcard.h"

namespace sluice::topic::filter {

// Numbers compare as integers in units of 1e-5, SNS's documented precision: exact
// for every value a policy may hold (-1e9 to 1e9, five decimals), unlike doubles.
inline constexpr int64_t kNumberScale = 100000;
inline constexpr int64_t kNumberLimit = 1000000000;

// `text` (JSON number syntax, also "+5", ".5", "5.") in units of 1e-5, rounded
// half away from zero; nullopt when it is not a number or lies outside ±1e9.
std::optional<int64_t> scaled_number(std::string_view text);

enum class ValueKind : uint8_t { string, number, literal };  // literal: true, false or null

// A value a condition looks at: a String or Number attribute, an element of a
// String.Array, a scalar of the body. Views into the message.
struct Value {
  ValueKind kind = ValueKind::string;
  std::string_view text;          // the string, the number as written, or "true"/"false"/"null"
  std::optional<int64_t> number;  // a number within ±1e9, scaled
};

Value string_value(std::string_view text);
Value number_value(std::string_view text);
Value literal_value(std::string_view text);

// An IP address as AWS reads one: four dot-separated decimal numbers (leading
// zeros allowed) or an IPv6 literal without zone or dotted tail; IPv4-mapped
// IPv6 addresses are their IPv4 address. Size 0 when `text` is not one.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  uint8_t size = 0;  // 4 or 16
};
enum class IpShape : uint8_t { none, v4, v6 };
IpShape ip_shape(std::string_view text);  // what the text looks like, before it is parsed
IpAddress parse_ip(std::string_view text);

struct Condition {
  enum class Op : uint8_t {
    exact_string,        // text
    exact_number,        // text as written, number when within range
    exact_literal,       // text: true, false, null
    prefix,              // text
    suffix,              // text
    equals_ignore_case,  // text, ASCII-lowercased
    wildcard,            // pattern
    numeric,             // low/high (either may be open)
    exists,              // present
    cidr,                // range
    anything_but,        // excluded (string-like conditions, or numbers when numbers_excluded)
  };
  struct Bound {
    int64_t value = 0;
    bool inclusive = false;
  };

  Op op = Op::exact_string;
  std::string text;
  std::optional<int64_t> number;
  std::optional<Bound> low, high;
  bool present = true;
  Wildcard pattern;
  IpAddress range_low, range_high;
  std::vector<Condition> excluded;
  bool numbers_excluded = false;
};

// Whether `value` satisfies `c`; `exists` is decided by the caller, who knows
// whether the key is there at all. String operators see strings only and
// numeric ones numbers only; "anything-but" matches any value its exclusions
// do not (a number is anything but a string), numeric exclusions numbers only.
bool matches(const Condition& c, const Value& value);

}  // namespace sluice::topic::filter
