#pragma once
// AWS's event-stream framing (application/vnd.amazon.eventstream): how Kinesis
// SubscribeToShard pushes its events down one HTTP/2 response, and how S3 Select
// and Transcribe stream theirs. One message is
//   total length (4) | headers length (4) | prelude CRC (4) | headers | payload | message CRC (4)
// big-endian, both CRCs CRC-32 (IEEE): the prelude's over the first 8 bytes,
// the message's over everything before it. A header is a 1-byte name length,
// the name, a 1-byte value type and the value.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::protocol {

struct EventStreamHeader {
  enum Type : uint8_t {
    bool_true = 0,
    bool_false = 1,
    byte = 2,
    int16 = 3,
    int32 = 4,
    int64 = 5,
    bytes = 6,
    string = 7,
    timestamp = 8,  // milliseconds since the epoch, 8 bytes
    uuid = 9,       // 16 bytes
  };
  std::string name;
  Type type = string;
  std::string value;  // the value's bytes as framed (big-endian for the integers), nothing for the booleans
};

struct EventStreamMessage {
  std::vector<EventStreamHeader> headers;
  std::string payload;
  // The value of a string header, or empty.
  std::string_view header(std::string_view name) const;
};

// AWS's limits: 16 MiB a message, 128 KiB of headers, names up to 255 bytes.
inline constexpr size_t kMaxEventMessageBytes = size_t(16) << 20;
inline constexpr size_t kMaxEventHeadersBytes = size_t(128) << 10;

// One message with string headers (":event-type", ":content-type", ":message-type"…).
std::string encode_event(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view payload);

enum class EventDecode : uint8_t { ok, incomplete, malformed };
// Reads the message at the front of `bytes`; on ok, `used` is its length.
// incomplete: more bytes are needed; malformed: a CRC or a length is wrong, or a
// limit is passed (the stream cannot go on).
EventDecode decode_event(std::string_view bytes, EventStreamMessage& out, size_t& used);

}  // namespace sluice::protocol
