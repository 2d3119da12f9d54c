#pragma once
// What a message carries: body, user attributes, system attributes, and the
// digests SQS returns for them. The attribute digest is the one every SDK that
// checks MD5s recomputes (Java MessageMD5ChecksumInterceptor, JS v3 middleware):
// for each attribute, sorted by name, feed
//   len32(name) name  len32(type) type  tag  len32(value) value
// with 4-byte big-endian lengths and tag 1 for String/Number, 2 for Binary.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/common/clock.h"
#include "runtime/common/digest.h"
#include "runtime/queue/errors.h"

namespace sluice::queue {

struct MessageAttributeValue {
  std::string data_type;  // String, Number or Binary, optionally followed by ".label"
  std::string value;      // the string value, or the raw bytes of a binary value
  bool binary() const { return data_type.compare(0, 6, "Binary") == 0; }
  bool operator==(const MessageAttributeValue&) const = default;
};

// Sorted by name, which is the order the digest needs.
using MessageAttributes = std::map<std::string, MessageAttributeValue>;

Md5 md5_of_attributes(const MessageAttributes& attributes);

// Checks names, types and values as SQS does for user attributes and returns the
// bytes they count toward the message size (name + type + value of each).
Result<size_t> validate_user_attributes(const MessageAttributes& attributes);

// Checks a send's system attributes: only AWSTraceHeader (a String) exists.
Status validate_system_attributes(const MessageAttributes& attributes);

// The message as stored and as received.
struct MessageBlob {
  std::string body;
  MessageAttributes attributes;
  std::optional<std::string> trace_header;  // AWSTraceHeader
  std::string sender_id;
  std::string deduplication_id;
  std::string dead_letter_source_arn;  // set when redriven to a dead-letter queue
  Md5 md5_body{};
  std::optional<Md5> md5_attributes;
  std::optional<Md5> md5_system_attributes;
};

std::string encode_blob(const MessageBlob& blob);
std::optional<MessageBlob> decode_blob(std::string_view bytes);

}  // namespace sluice::queue
