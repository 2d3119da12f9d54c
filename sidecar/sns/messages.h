#pragma once
// What Publish and each PublishBatch entry carry, read into the engine's
// PublishEntry: the message (MessageStructure=json: one per protocol, with a
// "default"), subject, message attributes (String, String.Array, Number, Binary,
// each with an optional ".label"; Binary values arrive base64), FIFO group and
// deduplication ids, and the caller's trace header. The engine checks values
// and sizes; this reads the wire's shapes.

#include <nlohmann/json.hpp>

#include "runtime/topic/published.h"
#include "sidecar/aws/call.h"

namespace sluice::sns {

// Refusals name the member (MessageAttributes.<name>, Message, MessageStructure).
Status<Error> parse_publish_entry(const nlohmann::json& in, const aws::RequestContext& context,
                                  topic::PublishEntry& out);

// The bytes SNS counts against its size limit: the message and every attribute's
// name, type and value.
size_t publish_bytes(const nlohmann::json& in);

}  // namespace sluice::sns
