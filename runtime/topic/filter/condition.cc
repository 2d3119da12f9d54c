#include "runtime/topic/filter/condition.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace sluice::topic::filter {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool equals_ascii_ignore_case(std::string_view a, std::string_view lowered) {
  if (a.size() != lowered.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != lowered[i]) return false;
  return true;
}

bool in_range(const IpAddress& ip, const IpAddress& low, const IpAddress& high) {
  return ip.size == low.size && std::memcmp(ip.bytes.data(), low.bytes.data(), ip.size) >= 0 &&
         std::memcmp(ip.bytes.data(), high.bytes.data(), ip.size) <= 0;
}

bool matches_number(const Condition& c, int64_t n) {
  if (c.low && (n < c.low->value || (n == c.low->value && !c.low->inclusive))) return false;
  if (c.high && (n > c.high->value || (n == c.high->value && !c.high->inclusive))) return false;
  return true;
}

}  // namespace

// The number is read as its significant digits d1 d2 ... and the position of
// the decimal point after the first `point` of them; the result is the first
// point + 5 digits as an integer, plus one if the next digit is 5 or more.
std::optional<int64_t> scaled_number(std::string_view s) {
  size_t i = 0;
  const bool negative = i < s.size() && s[i] == '-';
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  constexpr size_t kKept = 17;  // 15 digits of result and one to round with, and then some
  char digits[kKept];
  size_t kept = 0;
  int64_t point = 0;  // where the decimal point sits after the first significant digit
  bool any_digit = false, significant = false, fraction = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.' && !fraction) {
      fraction = true;
      continue;
    }
    if (!is_digit(c)) break;
    any_digit = true;
    if (c != '0') significant = true;
    if (!significant) {
      if (fraction) --point;  // 0.00d: the point sits before d
      continue;
    }
    if (!fraction) ++point;
    if (kept < kKept) digits[kept++] = c;
  }
  if (!any_digit) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    const bool exponent_negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    int64_t exponent = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) exponent = std::min<int64_t>(exponent * 10 + (s[i] - '0'), 1000000);
    point += exponent_negative ? -exponent : exponent;
  }
  if (i != s.size()) return std::nullopt;
  if (!significant) return 0;
  const int64_t wanted = point + 5;  // digits before the rounding one
  if (wanted > 15) return std::nullopt;
  if (wanted < 0) return 0;
  int64_t scaled = 0;
  for (int64_t k = 0; k < wanted; ++k) scaled = scaled * 10 + (size_t(k) < kept ? digits[k] - '0' : 0);
  if (size_t(wanted) < kept && digits[wanted] >= '5') ++scaled;
  if (scaled > kNumberLimit * kNumberScale) return std::nullopt;
  return negative ? -scaled : scaled;
}

Value string_value(std::string_view text) { return Value{ValueKind::string, text, std::nullopt}; }
Value number_value(std::string_view text) { return Value{ValueKind::number, text, scaled_number(text)}; }
Value literal_value(std::string_view text) { return Value{ValueKind::literal, text, std::nullopt}; }

// AWS's own test of what to try as an address: [0-9]+(\.[0-9]+){3} for IPv4,
// only hex digits and colons, with a colon, for IPv6.
IpShape ip_shape(std::string_view text) {
  int dots = 0;
  bool digit_run = false, v4 = !text.empty();
  for (char c : text) {
    if (is_digit(c)) {
      digit_run = true;
    } else if (c == '.' && digit_run && dots < 3) {
      ++dots;
      digit_run = false;
    } else {
      v4 = false;
      break;
    }
  }
  if (v4 && dots == 3 && digit_run) return IpShape::v4;
  if (text.find(':') == std::string_view::npos) return IpShape::none;
  for (char c : text)
    if (!is_digit(c) && c != ':' && !(ascii_lower(c) >= 'a' && ascii_lower(c) <= 'f')) return IpShape::none;
  return IpShape::v6;
}

IpAddress parse_ip(std::string_view text) {
  IpAddress ip;
  switch (ip_shape(text)) {
    case IpShape::none:
      return ip;
    case IpShape::v4: {
      size_t octet = 0;
      int value = 0;
      for (size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '.') {
          ip.bytes[octet++] = uint8_t(value);
          value = 0;
        } else if ((value = value * 10 + (text[i] - '0')) > 255) {
          return IpAddress{};
        }
      }
      ip.size = 4;
      return ip;
    }
    case IpShape::v6: {
      const std::string copy(text);  // inet_pton wants a terminated string
      if (inet_pton(AF_INET6, copy.c_str(), ip.bytes.data()) != 1) return IpAddress{};
      constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
      if (std::memcmp(ip.bytes.data(), kMapped, 12) == 0) {
        std::memmove(ip.bytes.data(), ip.bytes.data() + 12, 4);
        std::fill(ip.bytes.begin() + 4, ip.bytes.end(), 0);
        ip.size = 4;
      } else {
        ip.size = 16;
      }
      return ip;
    }
  }
  return ip;
}

bool matches(const Condition& c, const Value& v) {
  const bool is_string = v.kind == ValueKind::string;
  switch (c.op) {
    case Condition::Op::exact_string:
      return is_string && v.text == c.text;
    case Condition::Op::exact_number:
      return v.kind == ValueKind::number && ((v.number && c.number && *v.number == *c.number) || v.text == c.text);
    case Condition::Op::exact_literal:
      return v.kind == ValueKind::literal && v.text == c.text;
    case Condition::Op::prefix:
      return is_string && v.text.substr(0, c.text.size()) == c.text;
    case Condition::Op::suffix:
      return is_string && v.text.size() >= c.text.size() && v.text.substr(v.text.size() - c.text.size()) == c.text;
    case Condition::Op::equals_ignore_case:
      return is_string && equals_ascii_ignore_case(v.text, c.text);
    case Condition::Op::wildcard:
      return is_string && c.pattern.matches(v.text);
    case Condition::Op::numeric:
      return v.kind == ValueKind::number && v.number && matches_number(c, *v.number);
    case Condition::Op::exists:
      return c.present;
    case Condition::Op::cidr:
      return is_string && in_range(parse_ip(v.text), c.range_low, c.range_high);
    case Condition::Op::anything_but:
      if (c.numbers_excluded) {
        if (v.kind != ValueKind::number || !v.number) return false;
        return std::none_of(c.excluded.begin(), c.excluded.end(),
                            [&](const Condition& x) { return x.number && *x.number == *v.number; });
      }
      return !is_string ||
             std::none_of(c.excluded.begin(), c.excluded.end(), [&](const Condition& x) { return matches(x, v); });
  }
  return false;
}

}  // namespace sluice::topic::filter
