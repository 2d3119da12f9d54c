#include "sidecar/protocol/event_stream.h"

#include <boost/crc.hpp>

namespace sluice::protocol {
namespace {

uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

void put_be(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(char((v >> (8 * i)) & 0xff));
}

uint64_t get_be(std::string_view bytes, size_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | uint8_t(bytes[at + i]);
  return v;
}

// The value length of a fixed-size type, or 0 for the booleans; -1: variable (2-byte length); -2: unknown type.
int fixed_length(uint8_t type) {
  switch (type) {
    case EventStreamHeader::bool_true:
    case EventStreamHeader::bool_false:
      return 0;
    case EventStreamHeader::byte:
      return 1;
    case EventStreamHeader::int16:
      return 2;
    case EventStreamHeader::int32:
      return 4;
    case EventStreamHeader::int64:
    case EventStreamHeader::timestamp:
      return 8;
    case EventStreamHeader::uuid:
      return 16;
    case EventStreamHeader::bytes:
    case EventStreamHeader::string:
      return -1;
    default:
      return -2;
  }
}

bool decode_headers(std::string_view h, std::vector<EventStreamHeader>& out) {
  size_t at = 0;
  while (at < h.size()) {
    EventStreamHeader header;
    const size_t name_length = uint8_t(h[at++]);
    if (name_length == 0 || h.size() - at < name_length + 1) return false;
    header.name = std::string(h.substr(at, name_length));
    at += name_length;
    const uint8_t type = uint8_t(h[at++]);
    const int fixed = fixed_length(type);
    if (fixed == -2) return false;
    size_t length = size_t(fixed);
    if (fixed == -1) {
      if (h.size() - at < 2) return false;
      length = size_t(get_be(h, at, 2));
      at += 2;
    }
    if (h.size() - at < length) return false;
    header.type = EventStreamHeader::Type(type);
    header.value = std::string(h.substr(at, length));
    at += length;
    out.push_back(std::move(header));
  }
  return true;
}

}  // namespace

std::string_view EventStreamMessage::header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.name == name && h.type == EventStreamHeader::string) return h.value;
  return {};
}

std::string encode_event(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view payload) {
  std::string encoded_headers;
  for (const auto& [name, value] : headers) {
    encoded_headers.push_back(char(name.size()));
    encoded_headers.append(name);
    encoded_headers.push_back(char(EventStreamHeader::string));
    put_be(encoded_headers, value.size(), 2);
    encoded_headers.append(value);
  }
  const size_t total = 12 + encoded_headers.size() + payload.size() + 4;
  std::string out;
  out.reserve(total);
  put_be(out, total, 4);
  put_be(out, encoded_headers.size(), 4);
  put_be(out, crc32(out), 4);
  out.append(encoded_headers);
  out.append(payload);
  put_be(out, crc32(out), 4);
  return out;
}

EventDecode decode_event(std::string_view bytes, EventStreamMessage& out, size_t& used) {
  if (bytes.size() < 12) return EventDecode::incomplete;
  const uint64_t total = get_be(bytes, 0, 4), headers_length = get_be(bytes, 4, 4);
  if (get_be(bytes, 8, 4) != crc32(bytes.substr(0, 8))) return EventDecode::malformed;
  if (total < 16 || total > kMaxEventMessageBytes || headers_length > kMaxEventHeadersBytes ||
      headers_length > total - 16)
    return EventDecode::malformed;
  if (bytes.size() < total) return EventDecode::incomplete;
  if (get_be(bytes, total - 4, 4) != crc32(bytes.substr(0, total - 4))) return EventDecode::malformed;
  EventStreamMessage message;
  if (!decode_headers(bytes.substr(12, headers_length), message.headers)) return EventDecode::malformed;
  message.payload = std::string(bytes.substr(12 + headers_length, total - 16 - headers_length));
  out = std::move(message);
  used = size_t(total);
  return EventDecode::ok;
}

}  // namespace sluice::protocol
