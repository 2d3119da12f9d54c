#include "sidecar/protocol/cbor_codec.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "runtime/common/base64.h"
#include "runtime/common/text.h"

namespace sluice::protocol {
namespace {

using nlohmann::json;

constexpr size_t kMaxDepth = 512;

// Walks the item structure without building anything: true when `bytes` is
// exactly one item, framed consistently (every length fits in what is left),
// nesting at most kMaxDepth containers and tags. nlohmann's reader, which then
// checks everything else, recurses once per level, so the depth is bounded here
// first. `tags` gets where each tag's head is (offset, length): nlohmann refuses
// tags 0 to 5, timestamp tag 1 among them, so they are cut out before it reads.
bool framed_and_shallow(std::string_view bytes, std::vector<std::pair<size_t, size_t>>& tag_heads) {
  struct Open {
    uint64_t left;  // items still to come (definite length)
    bool indefinite;
    size_t depth;
  };
  std::vector<Open> open;
  size_t pos = 0, tags = 0;  // tags: on the item being read
  auto read_argument = [&](uint8_t info, uint64_t& value) {
    if (info < 24) {
      value = info;
      return true;
    }
    if (info > 27) return false;
    const size_t n = size_t(1) << (info - 24);
    if (bytes.size() - pos < n) return false;
    value = 0;
    for (size_t i = 0; i < n; ++i) value = (value << 8) | uint8_t(bytes[pos + i]);
    pos += n;
    return true;
  };
  for (;;) {
    if (pos >= bytes.size()) return false;
    const uint8_t initial = uint8_t(bytes[pos++]);
    const uint8_t major = initial >> 5, info = initial & 31;
    const size_t depth = (open.empty() ? 0 : open.back().depth) + tags;
    if (initial == 0xff) {  // "break": ends the innermost indefinite container
      if (open.empty() || !open.back().indefinite || tags) return false;
      open.pop_back();
    } else if (major == 6) {  // a tag: the item it tags follows
      uint64_t tag;
      const size_t head = pos - 1;
      if (!read_argument(info, tag) || depth + 1 > kMaxDepth) return false;
      tag_heads.emplace_back(head, pos - head);
      ++tags;
      continue;
    } else if (major == 4 || major == 5) {
      uint64_t count = 0;
      const bool indefinite = info == 31;
      if (!indefinite && (!read_argument(info, count) || count > bytes.size())) return false;
      if (depth + 1 > kMaxDepth) return false;
      tags = 0;
      if (indefinite || count > 0) {
        open.push_back({major == 5 ? count * 2 : count, indefinite, depth + 1});
        continue;
      }
    } else if ((major == 2 || major == 3) && info == 31) {  // chunks of the same major type, then break
      for (;;) {
        if (pos >= bytes.size()) return false;
        const uint8_t chunk = uint8_t(bytes[pos++]);
        if (chunk == 0xff) break;
        uint64_t length;
        if ((chunk >> 5) != major || !read_argument(chunk & 31, length) || bytes.size() - pos < length) return false;
        pos += size_t(length);
      }
    } else {
      uint64_t value;
      if (!read_argument(info, value)) return false;
      if ((major == 2 || major == 3)) {
        if (bytes.size() - pos < value) return false;
        pos += size_t(value);
      }
    }
    // One item is complete: it counts against the containers around it, and
    // closing one completes an item of the next one out.
    tags = 0;
    while (!open.empty() && !open.back().indefinite && --open.back().left == 0) open.pop_back();
    if (open.empty()) return pos == bytes.size();
  }
}

// Byte strings become base64 text, as blobs are in AWS JSON; every text must be UTF-8.
bool to_json_document(json& v) {
  if (v.is_binary()) {
    const auto& bytes = v.get_binary();
    v = base64_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    return true;
  }
  if (v.is_string()) return is_valid_utf8(v.get_ref<const std::string&>());
  if (v.is_object())
    for (auto it = v.begin(); it != v.end(); ++it)
      if (!is_valid_utf8(it.key()) || !to_json_document(it.value())) return false;
  if (v.is_array())
    for (auto& item : v)
      if (!to_json_document(item)) return false;
  return true;
}

void put_head(std::string& out, uint8_t major, uint64_t value) {
  const uint8_t m = uint8_t(major << 5);
  if (value < 24) {
    out.push_back(char(m | value));
    return;
  }
  int bytes = value <= 0xff ? 1 : value <= 0xffff ? 2 : value <= 0xffffffffu ? 4 : 8;
  out.push_back(char(m | (bytes == 1 ? 24 : bytes == 2 ? 25 : bytes == 4 ? 26 : 27)));
  for (int i = bytes - 1; i >= 0; --i) out.push_back(char((value >> (8 * i)) & 0xff));
}

void put_double(std::string& out, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  out.push_back(char(0xfb));
  for (int i = 7; i >= 0; --i) out.push_back(char((bits >> (8 * i)) & 0xff));
}

void put_integer(std::string& out, int64_t v) {
  if (v >= 0) put_head(out, 0, uint64_t(v));
  else put_head(out, 1, uint64_t(-(v + 1)));
}

void put_text(std::string& out, std::string_view s) {
  put_head(out, 3, s.size());
  out.append(s);
}

void put_value(std::string& out, const json& v, const Shape* shape) {
  const auto type = shape ? shape->type : Shape::Type::string;
  if (shape && type == Shape::Type::timestamp && v.is_number()) {
    out.push_back(char(0xc1));  // tag 1: epoch seconds
    const double seconds = v.get<double>();
    if (v.is_number_integer()) put_integer(out, v.get<int64_t>());
    else if (std::floor(seconds) == seconds && std::fabs(seconds) < 9e15) put_integer(out, int64_t(seconds));
    else put_double(out, seconds);
    return;
  }
  if (shape && type == Shape::Type::blob && v.is_string()) {
    if (auto bytes = base64_decode(v.get_ref<const std::string&>())) {
      put_head(out, 2, bytes->size());
      out.append(*bytes);
      return;
    }
  }
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      out.push_back(char(0xf6));
      return;
    case json::value_t::boolean:
      out.push_back(char(v.get<bool>() ? 0xf5 : 0xf4));
      return;
    case json::value_t::number_unsigned:
      put_head(out, 0, v.get<uint64_t>());
      return;
    case json::value_t::number_integer:
      put_integer(out, v.get<int64_t>());
      return;
    case json::value_t::number_float:
      put_double(out, v.get<double>());
      return;
    case json::value_t::string:
      put_text(out, v.get_ref<const std::string&>());
      return;
    case json::value_t::binary:
      put_head(out, 2, v.get_binary().size());
      out.append(reinterpret_cast<const char*>(v.get_binary().data()), v.get_binary().size());
      return;
    case json::value_t::array: {
      const Shape* member = shape && type == Shape::Type::list ? shape->member.shape : nullptr;
      put_head(out, 4, v.size());
      for (const auto& item : v) put_value(out, item, member);
      return;
    }
    case json::value_t::object: {
      put_head(out, 5, v.size());
      for (auto it = v.begin(); it != v.end(); ++it) {
        const Shape* member = nullptr;
        if (shape && type == Shape::Type::structure) {
          if (const ShapeRef* ref = shape->find_member(it.key())) member = ref->shape;
        } else if (shape && type == Shape::Type::map) {
          member = shape->value.shape;
        }
        put_text(out, it.key());
        put_value(out, it.value(), member);
      }
      return;
    }
  }
}

}  // namespace

std::optional<json> read_cbor(std::string_view bytes) {
  std::vector<std::pair<size_t, size_t>> tag_heads;
  if (!framed_and_shallow(bytes, tag_heads)) return std::nullopt;
  std::string untagged;
  if (!tag_heads.empty()) {
    untagged.reserve(bytes.size());
    size_t from = 0;
    for (const auto& [at, length] : tag_heads) {
      untagged.append(bytes.substr(from, at - from));
      from = at + length;
    }
    untagged.append(bytes.substr(from));
    bytes = untagged;
  }
  json v = json::from_cbor(bytes.begin(), bytes.end(), /*strict=*/true, /*allow_exceptions=*/false);
  if (v.is_discarded() || !to_json_document(v)) return std::nullopt;
  return v;
}

std::string write_cbor(const json& document, const Shape* shape) {
  std::string out;
  put_value(out, document, shape);
  return out;
}

}  // namespace sluice::protocol
