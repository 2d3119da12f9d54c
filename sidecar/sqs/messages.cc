#include "sidecar/sqs/messages.h"

#include "runtime/common/base64.h"
#include "runtime/common/digest.h"
#include "sidecar/aws/params.h"

namespace sluice::sqs {
namespace {

using json = nlohmann::json;

const std::set<std::string> kSystemAttributeNames = {"All",
                                                     "SenderId",
                                                     "SentTimestamp",
                                                     "ApproximateReceiveCount",
                                                     "ApproximateFirstReceiveTimestamp",
                                                     "SequenceNumber",
                                                     "MessageDeduplicationId",
                                                     "MessageGroupId",
                                                     "AWSTraceHeader",
                                                     "DeadLetterQueueSourceArn"};

queue::Status parse_attribute_map(const json& map, bool system, queue::MessageAttributes& out) {
  const std::string kind = system ? "system" : "user";
  const std::string prefix = system ? "MessageSystemAttributes." : "MessageAttributes.";
  for (const auto& [name, value] : map.items()) {
    auto refuse = [&](const std::string& why) {
      return fail(errc::invalid_argument, prefix + name, "Message (" + kind + ") attribute '" + name + "' " + why);
    };
    queue::MessageAttributeValue v;
    v.data_type = aws::string_or_empty(value, "DataType");
    const bool binary = v.data_type.compare(0, 6, "Binary") == 0;
    if (value.contains("StringListValues") || value.contains("BinaryListValues"))
      return refuse("uses StringListValues or BinaryListValues, which are not supported.");
    if (binary) {
      if (!value.contains("BinaryValue") || value.contains("StringValue"))
        return refuse("must contain a non-empty value of type 'Binary'.");
      auto bytes = base64_decode(aws::string_or_empty(value, "BinaryValue"));
      if (!bytes) return refuse("has a BinaryValue that is not valid base64.");
      v.value = std::move(*bytes);
    } else {
      if (value.contains("BinaryValue")) return refuse("of type '" + v.data_type + "' must use StringValue.");
      v.value = aws::string_or_empty(value, "StringValue");
    }
    out.emplace(name, std::move(v));
  }
  return {};
}

}  // namespace

queue::Status parse_send_entry(const json& in, const aws::RequestContext& context, queue::SendEntry& out) {
  out.body = aws::string_or_empty(in, "MessageBody");
  out.delay_seconds = aws::optional_int(in, "DelaySeconds");
  out.group_id = aws::optional_string(in, "MessageGroupId");
  out.deduplication_id = aws::string_or_empty(in, "MessageDeduplicationId");
  out.sender_id = context.access_key.empty() ? context.account : context.access_key;
  if (auto it = in.find("MessageAttributes"); it != in.end())
    if (auto s = parse_attribute_map(*it, false, out.attributes); !s) return s;
  if (auto it = in.find("MessageSystemAttributes"); it != in.end())
    if (auto s = parse_attribute_map(*it, true, out.system_attributes); !s) return s;
  if (!context.trace_header.empty() && !out.system_attributes.count("AWSTraceHeader"))
    out.system_attributes["AWSTraceHeader"] = {"String", context.trace_header};
  return {};
}

json render_send_outcome(const queue::SendOutcome& o) {
  json out = {{"MessageId", o.message_id}, {"MD5OfMessageBody", to_hex(o.md5_body)}};
  if (o.md5_attributes) out["MD5OfMessageAttributes"] = to_hex(*o.md5_attributes);
  if (o.md5_system_attributes) out["MD5OfMessageSystemAttributes"] = to_hex(*o.md5_system_attributes);
  if (!o.sequence_number.empty()) out["SequenceNumber"] = o.sequence_number;
  return out;
}

queue::Status parse_receive_selection(const json& in, ReceiveSelection& out) {
  for (const char* list : {"AttributeNames", "MessageSystemAttributeNames"}) {
    for (const auto& name : aws::string_list(in, list)) {
      if (!kSystemAttributeNames.count(name)) return fail(errc::not_found, list, "Unknown Attribute " + name + ".");
      if (name == "All") out.all_system = true;
      out.system.insert(name);
    }
  }
  for (const auto& name : aws::string_list(in, "MessageAttributeNames")) {
    if (name == "All" || name == ".*") {
      out.all_user = true;
    } else if (name.size() > 2 && name.compare(name.size() - 2, 2, ".*") == 0) {
      out.user_prefixes.push_back(name.substr(0, name.size() - 1));  // keep the dot
    } else {
      out.user.insert(name);
    }
  }
  return {};
}

json render_received(const queue::ReceivedMessage& m, const ReceiveSelection& sel, bool fifo) {
  json out = {{"MessageId", m.message_id},
              {"ReceiptHandle", m.receipt_handle},
              {"MD5OfBody", to_hex(m.blob.md5_body)},
              {"Body", m.blob.body}};
  auto wants = [&](const char* name) { return sel.all_system || sel.system.count(name); };
  json attrs = json::object();
  if (wants("SenderId")) attrs["SenderId"] = m.blob.sender_id;
  if (wants("SentTimestamp")) attrs["SentTimestamp"] = std::to_string(m.sent_ms);
  if (wants("ApproximateReceiveCount")) attrs["ApproximateReceiveCount"] = std::to_string(m.receive_count);
  if (wants("ApproximateFirstReceiveTimestamp"))
    attrs["ApproximateFirstReceiveTimestamp"] = std::to_string(m.first_receive_ms);
  if (fifo && wants("SequenceNumber")) attrs["SequenceNumber"] = m.sequence_number;
  if (fifo && wants("MessageDeduplicationId")) attrs["MessageDeduplicationId"] = m.blob.deduplication_id;
  if (!m.group_id.empty() && wants("MessageGroupId")) attrs["MessageGroupId"] = m.group_id;
  if (m.blob.trace_header && wants("AWSTraceHeader")) attrs["AWSTraceHeader"] = *m.blob.trace_header;
  if (!m.blob.dead_letter_source_arn.empty() && wants("DeadLetterQueueSourceArn"))
    attrs["DeadLetterQueueSourceArn"] = m.blob.dead_letter_source_arn;
  if (!attrs.empty()) out["Attributes"] = std::move(attrs);

  // The digest covers exactly the attributes returned, which is what SDKs check.
  queue::MessageAttributes returned;
  for (const auto& [name, value] : m.blob.attributes) {
    bool selected = sel.all_user || sel.user.count(name);
    for (const auto& p : sel.user_prefixes) selected |= name.compare(0, p.size(), p) == 0;
    if (selected) returned.emplace(name, value);
  }
  if (!returned.empty()) {
    json user = json::object();
    for (const auto& [name, value] : returned) {
      json v = {{"DataType", value.data_type}};
      if (value.binary()) {
        v["BinaryValue"] = base64_encode(value.value);
      } else {
        v["StringValue"] = value.value;
      }
      user[name] = std::move(v);
    }
    out["MessageAttributes"] = std::move(user);
    out["MD5OfMessageAttributes"] = to_hex(queue::md5_of_attributes(returned));
  } else if (m.blob.md5_attributes) {
    out["MD5OfMessageAttributes"] = to_hex(*m.blob.md5_attributes);
  }
  return out;
}

}  // namespace sluice::sqs
