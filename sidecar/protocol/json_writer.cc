#include "sidecar/protocol/json_writer.h"

#include <cstdint>

#include "runtime/common/text.h"

namespace sluice::protocol {
namespace {

// How many bytes from s[i], which starts no well-formed sequence, one U+FFFD
// replaces: the "maximal subpart" (the longest start of a well-formed sequence,
// at least the one byte), as Unicode recommends and nlohmann's decoder does, so
// "\xE2\x82" is one replacement and not two.
size_t maximal_subpart(const unsigned char* s, size_t n, size_t i) {
  const unsigned char c = s[i];
  size_t tail = 0;                     // continuation bytes a well-formed sequence would have
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the first of them
  if (c >= 0xC2 && c <= 0xDF) tail = 1;
  else if (c == 0xE0) tail = 2, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) tail = 2;
  else if (c == 0xED) tail = 2, hi = 0x9F;
  else if (c == 0xF0) tail = 3, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) tail = 3;
  else if (c == 0xF4) tail = 3, hi = 0x8F;
  size_t len = 1;
  while (len <= tail && i + len < n && s[i + len] >= lo && s[i + len] <= hi) {
    ++len;
    lo = 0x80, hi = 0xBF;
  }
  return len;
}

void write_string(const std::string& text, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  out.reserve(out.size() + n + 2);
  out.push_back('"');
  size_t run = 0;  // start of the pending run of bytes copied as they are
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (size_t len = utf8_sequence_length(text, i)) {
        i += len;
        continue;
      }
      out.append(text, run, i - run);
      out += "\xEF\xBF\xBD";
      run = i += maximal_subpart(s, n, i);
      continue;
    }
    out.append(text, run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:  // the other control characters
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xF]);
    }
    run = ++i;
  }
  out.append(text, run, n - run);
  out.push_back('"');
}

}  // namespace

void write_json(const nlohmann::json& value, std::string& out) {
  using T = nlohmann::json::value_t;
  switch (value.type()) {
    case T::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out.push_back(',');
        first = false;
        write_string(key, out);
        out.push_back(':');
        write_json(item, out);
      }
      out.push_back('}');
      return;
    }
    case T::array: {
      out.push_back('[');
      for (size_t i = 0; i < value.size(); ++i) {
        if (i) out.push_back(',');
        write_json(value[i], out);
      }
      out.push_back(']');
      return;
    }
    case T::string:
      write_string(value.get_ref<const std::string&>(), out);
      return;
    case T::number_integer:
      out += std::to_string(value.get<int64_t>());
      return;
    case T::number_unsigned:
      out += std::to_string(value.get<uint64_t>());
      return;
    default:  // null, booleans, floats (nlohmann's shortest round-trip form), binary
      out += value.dump();
  }
}

std::string to_json_text(const nlohmann::json& value) {
  std::string out;
  write_json(value, out);
  return out;
}

}  // namespace sluice::protocol
