#include "sidecar/protocol/json_writer.h"

#include <cstdint>

namespace sluice::protocol {
namespace {

// Length of the well-formed UTF-8 sequence at s[i..n), or 0 (RFC 3629 table 3-7).
size_t utf8_length(const unsigned char* s, size_t i, size_t n) {
  const unsigned char c = s[i];
  auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i + k < n && s[i + k] >= lo && s[i + k] <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
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
      if (size_t len = utf8_length(s, i, n)) {
        i += len;
        continue;
      }
    }
    out.append(text, run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 0xF]);
        } else {
          out += "\xEF\xBF\xBD";  // a byte that starts no well-formed sequence
        }
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
