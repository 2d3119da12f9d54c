#include "sidecar/sns/messages.h"

#include "runtime/common/base64.h"
#include "sidecar/aws/params.h"

namespace sluice::sns {
namespace {

using json = nlohmann::json;

Status<Error> parse_attributes(const json& map, topic::MessageAttributes& out) {
  for (const auto& [name, value] : map.items()) {
    auto refuse = [&](const std::string& why) { return invalid("MessageAttributes." + name, name, why); };
    topic::MessageAttribute a;
    a.data_type = aws::string_or_empty(value, "DataType");
    const bool binary = a.data_type.compare(0, 6, "Binary") == 0;
    const char* field = binary ? "Binary" : "String";
    if (value.contains(binary ? "StringValue" : "BinaryValue") &&
        !value.contains(binary ? "BinaryValue" : "StringValue"))
      return refuse("The message attribute '" + name + "' with type '" + a.data_type + "' must use field '" + field +
                    "'.");
    if (binary) {
      auto bytes = base64_decode(aws::string_or_empty(value, "BinaryValue"));
      if (!bytes) return refuse("The message attribute '" + name + "' has a BinaryValue that is not valid base64.");
      a.value = std::move(*bytes);
    } else {
      a.value = aws::string_or_empty(value, "StringValue");
    }
    out.emplace(name, std::move(a));
  }
  return {};
}

// MessageStructure=json: {"default": "...", "sqs": "...", "http": "..."}; keys whose
// values are not strings are ignored, as SNS ignores them.
Status<Error> parse_structured(const std::string& text, topic::PublishEntry& out) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(errc::invalid_argument, "Message",
                "Invalid parameter: Message Structure - JSON message body failed to parse");
  for (const auto& [protocol, message] : j.items())
    if (message.is_string()) out.structured[protocol] = message.get<std::string>();
  auto def = out.structured.find("default");
  if (def == out.structured.end())
    return fail(errc::invalid_argument, "Message",
                "Invalid parameter: Message Structure - No default entry in JSON message body");
  out.message = def->second;
  return {};
}

}  // namespace

Status<Error> parse_publish_entry(const json& in, const aws::RequestContext& context, topic::PublishEntry& out) {
  out.message = aws::string_or_empty(in, "Message");
  if (auto structure = aws::optional_string(in, "MessageStructure")) {
    if (*structure != "json")
      return fail(errc::invalid_argument, "MessageStructure",
                  "Invalid parameter: Invalid message structure. Must be json");
    if (auto s = parse_structured(out.message, out); !s) return s;
  }
  out.subject = aws::optional_string(in, "Subject");
  if (auto it = in.find("MessageAttributes"); it != in.end() && it->is_object())
    if (auto s = parse_attributes(*it, out.attributes); !s) return s;
  out.group_id = aws::string_or_empty(in, "MessageGroupId");
  out.deduplication_id = aws::string_or_empty(in, "MessageDeduplicationId");
  out.trace_header = context.trace_header;
  return {};
}

size_t publish_bytes(const json& in) {
  size_t total = aws::string_or_empty(in, "Message").size();
  if (auto a = in.find("MessageAttributes"); a != in.end() && a->is_object())
    for (const auto& [name, v] : a->items())
      total += name.size() + aws::string_or_empty(v, "DataType").size() +
               aws::string_or_empty(v, "StringValue").size() + aws::string_or_empty(v, "BinaryValue").size() * 3 / 4;
  return total;
}

}  // namespace sluice::sns
