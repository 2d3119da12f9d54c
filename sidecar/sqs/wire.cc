#include "sidecar/sqs/wire.h"

#include <cctype>
#include <set>

#include "runtime/common/base64.h"
#include "runtime/common/digest.h"
#include "runtime/queue/queue_service.h"
#include "sidecar/sqs/error_map.h"

namespace sluice::sqs {
namespace {

protocol::AwsError modeled(const protocol::ServiceModel& model, const char* shape, std::string message) {
  const protocol::ErrorInfo* info = model.error(shape);
  return {shape, info ? info->code : shape, info ? info->status : 400, true, std::move(message)};
}

const std::set<std::string> kSystemAttributeNames = {
    "All", "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp",
    "SequenceNumber", "MessageDeduplicationId", "MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn"};

std::optional<protocol::AwsError> parse_attribute_map(const json& map, bool system, queue::MessageAttributes& out) {
  const char* kind = system ? "system" : "user";
  for (const auto& [name, value] : map.items()) {
    queue::MessageAttributeValue v;
    v.data_type = value.value("DataType", "");
    const bool binary = v.data_type.compare(0, 6, "Binary") == 0;
    if (value.contains("StringListValues") || value.contains("BinaryListValues"))
      return protocol::invalid_parameter_value("Message (" + std::string(kind) + ") attribute '" + name +
                                               "': StringListValues and BinaryListValues are not supported.");
    if (binary) {
      if (!value.contains("BinaryValue") || value.contains("StringValue"))
        return protocol::invalid_parameter_value("Message (" + std::string(kind) + ") attribute '" + name +
                                                 "' must contain a non-empty value of type 'Binary'.");
      auto bytes = base64_decode(value["BinaryValue"].get<std::string>());
      if (!bytes)
        return protocol::invalid_parameter_value("Message (" + std::string(kind) + ") attribute '" + name +
                                                 "' has a BinaryValue that is not valid base64.");
      v.value = std::move(*bytes);
    } else {
      if (value.contains("BinaryValue"))
        return protocol::invalid_parameter_value("Message (" + std::string(kind) + ") attribute '" + name +
                                                 "' of type '" + v.data_type + "' must use StringValue.");
      v.value = value.value("StringValue", "");
    }
    out.emplace(name, std::move(v));
  }
  return std::nullopt;
}

}  // namespace

queue::QueuePtr find_queue(const SqsCallPtr& call) {
  std::string url = call->input().value("QueueUrl", "");
  // Only the path matters: http(s)://any-host/<account>/<name>.
  std::string_view path = url;
  if (auto scheme = path.find("://"); scheme != std::string_view::npos) {
    path.remove_prefix(scheme + 3);
    auto slash = path.find('/');
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto last = path.rfind('/');
  auto first = last == std::string_view::npos || last == 0 ? std::string_view::npos : path.rfind('/', last - 1);
  if (path.empty() || path.front() != '/' || first == std::string_view::npos) {
    call->fail(modeled(call->env().model, "InvalidAddress", "The address " + url + " is not valid for this endpoint."));
    return nullptr;
  }
  std::string account(path.substr(first + 1, last - first - 1));
  std::string name(path.substr(last + 1));
  auto q = call->env().queues.find(account, name);
  if (!q) call->fail(queue::Error{queue::errc::queue_does_not_exist, "The specified queue does not exist."});
  return q;
}

std::string queue_url(const Caller& caller, const queue::Queue& q) {
  return "http://" + caller.host + "/" + q.identity().account + "/" + q.name();
}

std::optional<int> optional_int(const json& input, const char* name) {
  auto it = input.find(name);
  if (it == input.end() || it->is_null()) return std::nullopt;
  int64_t v = it->get<int64_t>();
  // Far outside any SQS range; clamp so the engine's range checks report it.
  if (v > INT32_MAX) v = INT32_MAX;
  if (v < INT32_MIN) v = INT32_MIN;
  return int(v);
}

std::string string_or_empty(const json& input, const char* name) {
  auto it = input.find(name);
  return it == input.end() || !it->is_string() ? std::string() : it->get<std::string>();
}

std::vector<std::string> string_list(const json& input, const char* name) {
  auto it = input.find(name);
  if (it == input.end() || !it->is_array()) return {};
  return it->get<std::vector<std::string>>();
}

std::vector<std::pair<std::string, std::string>> string_map(const json& input, const char* name) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = input.find(name);
  if (it == input.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) out.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

std::optional<protocol::AwsError> parse_send_entry(const json& in, const Caller& caller, queue::SendEntry& out) {
  out.body = string_or_empty(in, "MessageBody");
  out.delay_seconds = optional_int(in, "DelaySeconds");
  out.group_id = string_or_empty(in, "MessageGroupId");
  out.deduplication_id = string_or_empty(in, "MessageDeduplicationId");
  out.sender_id = caller.access_key.empty() ? caller.account : caller.access_key;
  if (auto it = in.find("MessageAttributes"); it != in.end())
    if (auto e = parse_attribute_map(*it, false, out.attributes)) return e;
  if (auto it = in.find("MessageSystemAttributes"); it != in.end())
    if (auto e = parse_attribute_map(*it, true, out.system_attributes)) return e;
  return std::nullopt;
}

json render_send_outcome(const queue::SendOutcome& o) {
  json out = {{"MessageId", o.message_id}, {"MD5OfMessageBody", to_hex(o.md5_body)}};
  if (o.md5_attributes) out["MD5OfMessageAttributes"] = to_hex(*o.md5_attributes);
  if (o.md5_system_attributes) out["MD5OfMessageSystemAttributes"] = to_hex(*o.md5_system_attributes);
  if (!o.sequence_number.empty()) out["SequenceNumber"] = o.sequence_number;
  return out;
}

std::optional<protocol::AwsError> parse_receive_selection(const json& in, ReceiveSelection& out) {
  for (const char* list : {"AttributeNames", "MessageSystemAttributeNames"}) {
    for (const auto& name : string_list(in, list)) {
      if (!kSystemAttributeNames.count(name))
        return protocol::AwsError{"InvalidAttributeName", "InvalidAttributeName", 400, true,
                                  "Unknown Attribute " + name + "."};
      if (name == "All") out.all_system = true;
      out.system.insert(name);
    }
  }
  for (const auto& name : string_list(in, "MessageAttributeNames")) {
    if (name == "All" || name == ".*") {
      out.all_user = true;
    } else if (name.size() > 2 && name.compare(name.size() - 2, 2, ".*") == 0) {
      out.user_prefixes.push_back(name.substr(0, name.size() - 1));  // keep the dot
    } else {
      out.user.insert(name);
    }
  }
  return std::nullopt;
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

std::optional<protocol::AwsError> check_batch(const protocol::ServiceModel& model, const json& entries,
                                              const std::string& entry_kind) {
  if (!entries.is_array() || entries.empty())
    return modeled(model, "EmptyBatchRequest", "There should be at least one " + entry_kind + " in the request.");
  if (entries.size() > size_t(queue::limits::kMaxBatchEntries))
    return modeled(model, "TooManyEntriesInBatchRequest",
                   "Maximum number of entries per request are 10. You have sent " + std::to_string(entries.size()) + ".");
  std::set<std::string> seen;
  for (const auto& e : entries) {
    std::string id = e.value("Id", "");
    bool valid = !id.empty() && id.size() <= queue::limits::kMaxBatchEntryIdLength;
    for (unsigned char c : id) valid &= std::isalnum(c) || c == '-' || c == '_';
    if (!valid)
      return modeled(model, "InvalidBatchEntryId",
                     "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can "
                     "be at most 80 letters long.");
    if (!seen.insert(id).second) return modeled(model, "BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
  }
  return std::nullopt;
}

json batch_error_entry(const std::string& id, const protocol::AwsError& error) {
  return {{"Id", id}, {"SenderFault", error.sender}, {"Code", error.code}, {"Message", error.message}};
}

json render_batch_statuses(const protocol::ServiceModel& model, const std::vector<std::string>& ids,
                           const std::vector<queue::Status>& results) {
  json successful = json::array(), failed = json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok()) {
      successful.push_back({{"Id", ids[i]}});
    } else {
      failed.push_back(batch_error_entry(ids[i], to_aws_error(model, results[i].error())));
    }
  }
  return {{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
}

}  // namespace sluice::sqs
