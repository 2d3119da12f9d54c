#pragma once
// A message as a topic keeps it: what Publish gave, plus the identity the topic
// assigned (message id, sequence, time). Attributes keep SNS's four types:
// String, String.Array (its value is the JSON array text), Number, Binary (raw
// bytes), each optionally followed by ".label" as SQS allows.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "runtime/common/clock.h"

namespace sluice::topic {

struct MessageAttribute {
  std::string data_type;  // String, String.Array, Number, Binary
  std::string value;      // the string value, or the raw bytes of a Binary value
  bool operator==(const MessageAttribute&) const = default;
};

// Sorted by name.
using MessageAttributes = std::map<std::string, MessageAttribute>;

}  // namespace sluice::topic
