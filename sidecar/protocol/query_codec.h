#pragma once
// The AWS query protocol, driven by the service model: form parameters in
// (`Action=SendMessage&MessageAttribute.1.Name=...`), XML out. Requests are
// decoded into the same JSON tree the JSON protocol carries, so handlers see one
// input shape whatever the wire; responses are encoded from that same tree.
// Naming rules follow botocore's QuerySerializer and QueryParser (flattened lists
// and maps, locationName, "member"/"entry"/"key"/"value" defaults).

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"

namespace sluice::protocol {

using FormParams = std::unordered_map<std::string, std::string>;

// Parses application/x-www-form-urlencoded text (a POST body or a URL query).
FormParams parse_form(std::string_view text);
std::string url_decode(std::string_view text);

// Builds the operation's input tree from form parameters; fails on values that
// do not fit their shape (a number that is not a number).
std::optional<AwsError> decode_query(const Shape& input, const FormParams& params, nlohmann::json& out);

// <OperationResponse xmlns=...><OperationResult>...</OperationResult>
// <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata></OperationResponse>
std::string encode_query_response(const ServiceModel& model, const Operation& op, const nlohmann::json& output,
                                  const std::string& request_id);

// <ErrorResponse><Error><Type>..</Type><Code>..</Code><Message>..</Message>...
std::string encode_query_error(const ServiceModel& model, const AwsError& error, const std::string& request_id);

// XML text escaping; also escapes \r so that XML parsers keep it.
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace sluice::protocol
