#include "sidecar/protocol/json_reader.h"

#include <cstdint>

#include "runtime/common/text.h"

namespace sluice::protocol {
namespace {

using json = nlohmann::json;

constexpr int kMaxDepth = 512;

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  bool document(json& out) {
    if (s_.starts_with("\xEF\xBB\xBF")) i_ = 3;  // one UTF-8 byte order mark, first, as nlohmann skips
    skip_space();
    if (!value(out, 0)) return false;
    skip_space();
    return i_ == s_.size();
  }

 private:
  bool value(json& out, int depth) {
    if (i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{':
        return object(out, depth + 1);
      case '[':
        return array(out, depth + 1);
      case '"': {
        std::string text;
        if (!string(text)) return false;
        out = std::move(text);
        return true;
      }
      case 't':
        return literal("true", out, true);
      case 'f':
        return literal("false", out, false);
      case 'n':
        return literal("null", out, nullptr);
      default:
        return number(out);
    }
  }

  bool object(json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++i_;  // '{'
    out = json::object();
    skip_space();
    if (peek('}')) return ++i_, true;
    for (;;) {
      skip_space();
      if (!peek('"')) return false;
      std::string key;
      if (!string(key)) return false;
      skip_space();
      if (!peek(':')) return false;
      ++i_;
      skip_space();
      json item;
      if (!value(item, depth)) return false;
      out[std::move(key)] = std::move(item);  // a repeated key: the last one wins, as in nlohmann
      skip_space();
      if (peek(',')) {
        ++i_;
        continue;
      }
      if (peek('}')) return ++i_, true;
      return false;
    }
  }

  bool array(json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++i_;  // '['
    out = json::array();
    skip_space();
    if (peek(']')) return ++i_, true;
    for (;;) {
      skip_space();
      json item;
      if (!value(item, depth)) return false;
      out.push_back(std::move(item));
      skip_space();
      if (peek(',')) {
        ++i_;
        continue;
      }
      if (peek(']')) return ++i_, true;
      return false;
    }
  }

  bool string(std::string& out) {
    ++i_;  // '"'
    size_t run = i_;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        out.append(s_, run, i_ - run);
        ++i_;
        return true;
      }
      if (c < 0x20) return false;
      if (c < 0x80 && c != '\\') {
        ++i_;
        continue;
      }
      if (c >= 0x80) {
        const size_t len = utf8_sequence_length(s_, i_);
        if (!len) return false;
        i_ += len;
        continue;
      }
      out.append(s_, run, i_ - run);  // a backslash
      if (!escape(out)) return false;
      run = i_;
    }
    return false;  // unterminated
  }

  bool escape(std::string& out) {
    if (++i_ >= s_.size()) return false;
    const char c = s_[i_++];
    switch (c) {
      case '"':
        out += '"';
        return true;
      case '\\':
        out += '\\';
        return true;
      case '/':
        out += '/';
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate first
    if (cp >= 0xD800 && cp <= 0xDBFF) {              // must be followed by its low half
      uint32_t low = 0;
      if (i_ + 1 >= s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') return false;
      i_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(cp, out);
    return true;
  }

  bool hex4(uint32_t& cp) {
    if (i_ + 4 > s_.size()) return false;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') cp |= uint32_t(h - '0');
      else if (h >= 'a' && h <= 'f') cp |= uint32_t(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') cp |= uint32_t(h - 'A' + 10);
      else return false;
    }
    return true;
  }

  static void append_utf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }

  // Numbers are rare and short in requests: find the token's extent by the
  // grammar, then let nlohmann choose the type (unsigned, integer or float).
  bool number(json& out) {
    const size_t start = i_;
    if (peek('-')) ++i_;
    if (peek('0')) {
      ++i_;
    } else if (digits() == 0) {
      return false;
    }
    if (peek('.')) {
      ++i_;
      if (digits() == 0) return false;
    }
    if (peek('e') || peek('E')) {
      ++i_;
      if (peek('+') || peek('-')) ++i_;
      if (digits() == 0) return false;
    }
    out = json::parse(s_.substr(start, i_ - start), nullptr, false);
    return !out.is_discarded();
  }

  size_t digits() {
    const size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ - start;
  }

  bool literal(std::string_view word, json& out, json value) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    out = std::move(value);
    return true;
  }

  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::optional<nlohmann::json> read_json(std::string_view text) {
  json out;
  if (!Reader(text).document(out)) return std::nullopt;
  return out;
}

}  // namespace sluice::protocol
