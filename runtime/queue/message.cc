#include "runtime/queue/message.h"

#include <cctype>

#include "runtime/common/codec.h"
#include "runtime/common/text.h"
#include "runtime/queue/attributes.h"

namespace sluice::queue {
namespace {

void feed_length_prefixed(Md5Builder& md5, std::string_view s) {
  uint8_t len[4] = {uint8_t(s.size() >> 24), uint8_t(s.size() >> 16), uint8_t(s.size() >> 8), uint8_t(s.size())};
  md5.update(std::string_view(reinterpret_cast<const char*>(len), 4));
  md5.update(s);
}

// A non-ASCII code point AWS takes as a letter or digit in a name: everything
// from U+00C0 up but for the blocks of spaces, punctuation, symbols and private
// use (and the three Latin-1 letters below it). No full Unicode tables: the
// blocks refused are those a name is likely to meet by mistake.
bool is_name_letter(char32_t c) {
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7 || c == 0xFEFF) return false;
  constexpr std::pair<char32_t, char32_t> kRefused[] = {
      {0x2000, 0x206F},     // general punctuation, spaces, invisible operators
      {0x20A0, 0x20CF},     // currency symbols
      {0x2190, 0x2BFF},     // arrows, mathematical operators, technical, shapes, dingbats
      {0x2E00, 0x2E7F},     // supplemental punctuation
      {0x3000, 0x303F},     // CJK symbols and punctuation, the ideographic space
      {0xE000, 0xF8FF},     // private use
      {0xFE10, 0xFE1F},     // vertical forms
      {0xFE30, 0xFE6F},     // CJK compatibility forms, small forms
      {0xFFF0, 0xFFFF},     // specials
      {0xF0000, 0x10FFFF},  // supplementary private use
  };
  for (auto [lo, hi] : kRefused)
    if (c >= lo && c <= hi) return false;
  return true;
}

char32_t decode_utf8(std::string_view s, size_t i, size_t n) {
  if (n == 1) return char32_t(uint8_t(s[i]));
  char32_t c = uint8_t(s[i]) & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) c = (c << 6) | (uint8_t(s[i + k]) & 0x3F);
  return c;
}

// Letters and digits (Unicode ones too), '_', '-' and '.'; no leading, trailing
// or doubled '.'; no "AWS." or "Amazon." prefix, in any case.
bool valid_attribute_name(std::string_view name) {
  if (name.empty() || name.size() > limits::kMaxAttributeNameLength) return false;
  if (name.front() == '.' || name.back() == '.') return false;
  if (starts_with_ignore_case(name, "AWS.") || starts_with_ignore_case(name, "Amazon.")) return false;
  if (name.find("..") != std::string_view::npos) return false;
  for (size_t i = 0; i < name.size();) {
    const size_t n = utf8_sequence_length(name, i);
    if (n == 0) return false;
    const char32_t c = decode_utf8(name, i, n);
    const bool ok =
        n > 1 ? is_name_letter(c) : std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    if (!ok) return false;
    i += n;
  }
  return true;
}

// SQS numbers: up to 38 significant digits, between -10^128 and 10^128.
bool valid_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  int digits = 0, significant = 0, int_digits = 0;
  bool seen_dot = false, leading = true;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !seen_dot) {
      seen_dot = true;
      continue;
    }
    if (c == 'e' || c == 'E') break;
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    ++digits;
    if (!seen_dot) ++int_digits;
    if (c != '0') leading = false;
    if (!leading) ++significant;
  }
  if (digits == 0) return false;
  int exponent = 0;
  if (i < s.size()) {
    auto e = parse_int64(s.substr(i + 1));
    if (!e || *e < -1000 || *e > 1000) return false;
    exponent = int(*e);
  }
  return significant <= 38 && int_digits + exponent <= 129;
}

// A refused attribute: `field` is MessageAttributes.<name> or MessageSystemAttributes.<name>.
Failure<Error> refused(std::string field, std::string message) {
  return fail(errc::invalid_argument, std::move(field), std::move(message));
}

}  // namespace

Md5 md5_of_attributes(const MessageAttributes& attributes) {
  Md5Builder md5;
  for (const auto& [name, attr] : attributes) {
    feed_length_prefixed(md5, name);
    feed_length_prefixed(md5, attr.data_type);
    const char tag = attr.binary() ? 2 : 1;
    md5.update(std::string_view(&tag, 1));
    feed_length_prefixed(md5, attr.value);
  }
  return md5.finish();
}

Result<size_t> validate_user_attributes(const MessageAttributes& attributes) {
  if (attributes.size() > size_t(limits::kMaxMessageAttributes))
    return fail(errc::limit_exceeded, "MessageAttributes",
                "Number of message attributes [" + std::to_string(attributes.size()) +
                    "] exceeds the allowed maximum [" + std::to_string(limits::kMaxMessageAttributes) + "].");
  size_t bytes = 0;
  for (const auto& [name, attr] : attributes) {
    const std::string field = "MessageAttributes." + name;
    if (!valid_attribute_name(name)) return refused(field, "Message (user) attribute name '" + name + "' is invalid.");
    const std::string& type = attr.data_type;
    if (type.empty())
      return refused(field, "The message attribute '" + name + "' must contain non-empty message attribute type.");
    std::string_view base = std::string_view(type).substr(0, type.find('.'));
    if ((base != "String" && base != "Number" && base != "Binary") || type.size() > limits::kMaxAttributeTypeLength ||
        (type.size() > base.size() && type.size() == base.size() + 1))
      return refused(field, "The type of message (user) attribute '" + name +
                                "' is invalid. You must use only the "
                                "following supported type prefixes: Binary, Number, String.");
    if (attr.value.empty())
      return refused(field, "Message (user) attribute '" + name + "' must contain a non-empty value of type '" +
                                std::string(base) + "'.");
    if (base == "Number" && !valid_number(attr.value))
      return refused(field, "Can't cast the value of message (user) attribute '" + name + "' to a number.");
    if (base == "String" && !is_valid_message_text(attr.value))
      return refused(field, "Message (user) attribute '" + name + "' contains invalid characters.");
    bytes += name.size() + type.size() + attr.value.size();
  }
  return bytes;
}

Status validate_system_attributes(const MessageAttributes& attributes) {
  for (const auto& [name, attr] : attributes) {
    const std::string field = "MessageSystemAttributes." + name;
    if (name != "AWSTraceHeader") return refused(field, "Message system attribute name '" + name + "' is invalid.");
    if (attr.data_type != "String")
      return refused(field, "Message system attribute 'AWSTraceHeader' must be of type 'String'.");
    if (attr.value.empty())
      return refused(field, "Message system attribute 'AWSTraceHeader' must contain a non-empty value.");
  }
  return {};
}

namespace {
constexpr uint8_t kBlobVersion = 1;
enum BlobFlags : uint8_t { has_attr_md5 = 1, has_system_md5 = 2, has_trace = 4 };
}  // namespace

std::string encode_blob(const MessageBlob& b) {
  std::string out;
  out.reserve(b.body.size() + 64);
  out.push_back(char(kBlobVersion));
  uint8_t flags = (b.md5_attributes ? has_attr_md5 : 0) | (b.md5_system_attributes ? has_system_md5 : 0) |
                  (b.trace_header ? has_trace : 0);
  out.push_back(char(flags));
  out.append(reinterpret_cast<const char*>(b.md5_body.data()), 16);
  if (b.md5_attributes) out.append(reinterpret_cast<const char*>(b.md5_attributes->data()), 16);
  if (b.md5_system_attributes) out.append(reinterpret_cast<const char*>(b.md5_system_attributes->data()), 16);
  codec::put_bytes(out, b.body);
  codec::put_varint(out, b.attributes.size());
  for (const auto& [name, attr] : b.attributes) {
    codec::put_bytes(out, name);
    codec::put_bytes(out, attr.data_type);
    codec::put_bytes(out, attr.value);
  }
  if (b.trace_header) codec::put_bytes(out, *b.trace_header);
  codec::put_bytes(out, b.sender_id);
  codec::put_bytes(out, b.deduplication_id);
  codec::put_bytes(out, b.dead_letter_source_arn);
  return out;
}

std::optional<MessageBlob> decode_blob(std::string_view in) {
  if (in.size() < 18 || uint8_t(in[0]) != kBlobVersion) return std::nullopt;
  uint8_t flags = uint8_t(in[1]);
  in.remove_prefix(2);
  MessageBlob b;
  auto take_md5 = [&](Md5& md5) {
    if (in.size() < 16) return false;
    std::copy(in.begin(), in.begin() + 16, md5.begin());
    in.remove_prefix(16);
    return true;
  };
  if (!take_md5(b.md5_body)) return std::nullopt;
  if (flags & has_attr_md5) {
    b.md5_attributes.emplace();
    if (!take_md5(*b.md5_attributes)) return std::nullopt;
  }
  if (flags & has_system_md5) {
    b.md5_system_attributes.emplace();
    if (!take_md5(*b.md5_system_attributes)) return std::nullopt;
  }
  codec::Reader r(in);
  uint64_t count;
  if (!r.bytes(b.body) || !r.varint(count) || count > 64) return std::nullopt;
  for (uint64_t i = 0; i < count; ++i) {
    std::string name;
    MessageAttributeValue v;
    if (!r.bytes(name) || !r.bytes(v.data_type) || !r.bytes(v.value)) return std::nullopt;
    b.attributes.emplace(std::move(name), std::move(v));
  }
  if (flags & has_trace) {
    b.trace_header.emplace();
    if (!r.bytes(*b.trace_header)) return std::nullopt;
  }
  if (!r.bytes(b.sender_id) || !r.bytes(b.deduplication_id) || !r.bytes(b.dead_letter_source_arn) || !r.done())
    return std::nullopt;
  return b;
}

}  // namespace sluice::queue
