#pragma once
// The AWS query protocol, driven by the service model: form parameters in
// (`Action=SendMessage&MessageAttribute.1.Name=...`), XML out. Requests are
// decoded into the same JSON tree the JSON protocol carries, so handlers see one
// input shape whatever the wire; responses are encoded from that same tree.
// Naming rules follow botocore's QuerySerializer and QueryParser (flattened lists
// and maps, locationName, "member"/"entry"/"key"/"value" defaults).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"

namespace sluice::protocol {

// Form parameters by decoded name. Sorted, so that the entries of one list or map
// ("MessageAttribute.1.Name", "MessageAttribute.1.Value.DataType", ...) are one
// contiguous range that decoding walks once.
using FormParams = std::map<std::string, std::string, std::less<>>;

// The most parameters a request may carry, URL query and body together. The
// largest legitimate SQS or SNS request, a SendMessageBatch or PublishBatch of 10
// entries with 10 message attributes each (3 to 5 parameters per attribute), plus
// the entries' own fields and ~20 others (Action, Version, QueueUrl, signature),
// has about 600. Ten thousand leaves a wide margin and still bounds the work one
// request can cause (~10 ms to decode) before anything is built.
inline constexpr size_t kMaxFormParameters = 10000;

// Adds the parameters of application/x-www-form-urlencoded `text` (a URL query or
// a POST body) to `out`, so that parsing the query and then the body into one
// FormParams merges them. Refuses, with an InvalidParameterValue error naming the
// key, a parameter given more than once (in `text`, or already in `out`), and
// refuses text that would take `out` past `max_params` before decoding any of it.
// On an error `out` holds what was read before it; the request is to be refused.
std::optional<AwsError> parse_form(std::string_view text, FormParams& out, size_t max_params = kMaxFormParameters);

// Moves the parameters of `from` into `into`; a key in both is a repeated
// parameter and refused like one, as is a total above `max_params`.
std::optional<AwsError> merge_form(FormParams& into, FormParams&& from, size_t max_params = kMaxFormParameters);

// Percent-decoding, with '+' as a space; a '%' not followed by two hex digits is
// kept as it is.
std::string url_decode(std::string_view text);

// Builds the operation's input tree from form parameters; fails on values that
// do not fit their shape (a number that is not a number) and on list and map
// indices that are not whole numbers from 1 to kMaxFormParameters (no sign, no
// leading zero), naming the parameter. Each parameter is looked at once per list
// or map that encloses it, so the cost is linear up to the model's nesting depth.
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
