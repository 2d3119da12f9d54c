#pragma once
// AWS's CBOR protocol (Content-Type application/x-amz-cbor-1.1: Kinesis, which
// the AWS SDK for Java and the KCL speak by default) as the JSON protocol's
// documents. A CBOR request becomes exactly the document the same call sends
// in AWS JSON (blobs base64 text, timestamps epoch seconds), and a reply
// document is written back the other way, so actions never see which one a
// client spoke.
//
// Reading needs no model: a byte string is a blob, a tag is dropped from the
// value it tags (tag 1, a timestamp, leaves its epoch seconds). Writing walks
// the reply's shape, because a blob and a timestamp are a string and a number
// in the document: blobs go out as byte strings, timestamps as tag 1 with the
// seconds (an integer when whole, else a double).

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "sidecar/protocol/service_model.h"

namespace sluice::protocol {

// The document, or nullopt when `bytes` is not exactly one well-formed CBOR
// item whose map keys are text, nests deeper than 512, or holds text that is not
// UTF-8.
std::optional<nlohmann::json> read_cbor(std::string_view bytes);

// `document` as CBOR; `shape` (may be null: no blobs or timestamps) says where
// the blobs and timestamps are. A blob member that is not valid base64 is
// written as text.
std::string write_cbor(const nlohmann::json& document, const Shape* shape);

}  // namespace sluice::protocol
