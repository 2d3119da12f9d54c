#include "bench/sqs/sqs_json.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace sluice::bench::sqs {

std::string request(std::string_view host_port, std::string_view op, std::string_view json) {
  std::string r;
  r.reserve(json.size() + 512);
  r += "POST / HTTP/1.1\r\nHost: ";
  r += host_port;
  r += "\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS.";
  r += op;
  r += "\r\nX-Amz-Date: 20260101T000000Z\r\n"
       "Authorization: AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/sqs/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
       "Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
       "Content-Length: ";
  r += std::to_string(json.size());
  r += "\r\n\r\n";
  r += json;
  return r;
}

std::string message_body(size_t bytes) {
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s(bytes, ' ');
  for (size_t i = 0; i < bytes; ++i) s[i] = kAlphabet[(i * 7 + i / 61) % kAlphabet.size()];
  return s;
}

std::string json_string(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

std::string create_queue_body(std::string_view name) { return "{\"QueueName\":" + json_string(name) + "}"; }

std::string get_queue_url_body(std::string_view name) { return "{\"QueueName\":" + json_string(name) + "}"; }

std::string send_message_body(std::string_view queue_url, std::string_view message) {
  return "{\"QueueUrl\":" + json_string(queue_url) + ",\"MessageBody\":" + json_string(message) + "}";
}

std::string send_message_batch_body(std::string_view queue_url, std::string_view message, int entries) {
  std::string body = "{\"QueueUrl\":" + json_string(queue_url) + ",\"Entries\":[";
  std::string quoted = json_string(message);
  for (int i = 0; i < entries; ++i) {
    if (i > 0) body += ',';
    body += "{\"Id\":\"" + std::to_string(i) + "\",\"MessageBody\":" + quoted + "}";
  }
  body += "]}";
  return body;
}

std::string receive_message_body(std::string_view queue_url, int max_messages, int wait_seconds) {
  return "{\"QueueUrl\":" + json_string(queue_url) + ",\"MaxNumberOfMessages\":" + std::to_string(max_messages) +
         ",\"WaitTimeSeconds\":" + std::to_string(wait_seconds) + "}";
}

std::string get_queue_attributes_body(std::string_view queue_url) {
  return "{\"QueueUrl\":" + json_string(queue_url) +
         ",\"AttributeNames\":[\"ApproximateNumberOfMessages\","
         "\"ApproximateNumberOfMessagesNotVisible\"]}";
}

std::string set_queue_attributes_body(std::string_view queue_url) {
  return "{\"QueueUrl\":" + json_string(queue_url) +
         ",\"Attributes\":{\"VisibilityTimeout\":\"60\",\"MessageRetentionPeriod\":\"86400\"}}";
}

std::string tag_queue_body(std::string_view queue_url) {
  return "{\"QueueUrl\":" + json_string(queue_url) + ",\"Tags\":{\"team\":\"bench\",\"tier\":\"load\"}}";
}

std::string list_queues_body(int max_results, std::string_view next_token) {
  std::string body = "{\"MaxResults\":" + std::to_string(max_results);
  if (!next_token.empty()) {
    body += ",\"NextToken\":\"";
    body += next_token;
    body += '"';
  }
  body += '}';
  return body;
}

std::string delete_message_batch_body(std::string_view queue_url, const std::vector<std::string_view>& handles) {
  std::string body;
  body.reserve(queue_url.size() + 64 + handles.size() * 300);
  body += "{\"QueueUrl\":";
  body += json_string(queue_url);
  body += ",\"Entries\":[";
  for (size_t i = 0; i < handles.size(); ++i) {
    if (i > 0) body += ',';
    body += "{\"Id\":\"";
    body += std::to_string(i);
    body += "\",\"ReceiptHandle\":\"";
    body += handles[i];
    body += "\"}";
  }
  body += "]}";
  return body;
}

size_t scan_receipt_handles(std::string_view reply, std::vector<std::string_view>& out) {
  static constexpr std::string_view kKey = "\"ReceiptHandle\"";
  size_t found = 0;
  size_t pos = 0;
  while ((pos = reply.find(kKey, pos)) != std::string_view::npos) {
    pos += kKey.size();
    while (pos < reply.size() && (reply[pos] == ' ' || reply[pos] == ':')) ++pos;
    if (pos >= reply.size() || reply[pos] != '"') continue;
    size_t start = ++pos;
    while (pos < reply.size() && reply[pos] != '"') pos += reply[pos] == '\\' ? 2 : 1;
    if (pos >= reply.size()) break;
    out.push_back(reply.substr(start, pos - start));
    ++found;
  }
  return found;
}

namespace {

// Reads the JSON string starting at reply[pos] (which must be '"'); returns its raw
// contents and leaves `pos` after the closing quote, or npos if it is not one.
std::string_view read_raw_string(std::string_view reply, size_t& pos) {
  if (pos >= reply.size() || reply[pos] != '"') {
    pos = std::string_view::npos;
    return {};
  }
  size_t start = ++pos;
  while (pos < reply.size() && reply[pos] != '"') pos += reply[pos] == '\\' ? 2 : 1;
  if (pos >= reply.size()) {
    pos = std::string_view::npos;
    return {};
  }
  return reply.substr(start, pos++ - start);
}

bool blank(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Position of the value of "key" (after the colon and blanks), or npos.
size_t value_of(std::string_view reply, std::string_view key) {
  std::string quoted;
  quoted.reserve(key.size() + 2);
  quoted += '"';
  quoted += key;
  quoted += '"';
  size_t pos = reply.find(quoted);
  if (pos == std::string_view::npos) return pos;
  pos += quoted.size();
  while (pos < reply.size() && (blank(reply[pos]) || reply[pos] == ':')) ++pos;
  return pos < reply.size() ? pos : std::string_view::npos;
}

}  // namespace

std::string_view scan_string(std::string_view reply, std::string_view key) {
  size_t pos = value_of(reply, key);
  if (pos == std::string_view::npos) return {};
  return read_raw_string(reply, pos);
}

size_t scan_string_array(std::string_view reply, std::string_view key, std::vector<std::string_view>& out) {
  size_t pos = value_of(reply, key);
  if (pos == std::string_view::npos || reply[pos] != '[') return 0;
  size_t found = 0;
  for (++pos;;) {
    while (pos < reply.size() && (blank(reply[pos]) || reply[pos] == ',')) ++pos;
    if (pos >= reply.size() || reply[pos] == ']') break;
    std::string_view s = read_raw_string(reply, pos);
    if (pos == std::string_view::npos) break;
    out.push_back(s);
    ++found;
  }
  return found;
}

size_t count_of(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

BatchOutcome send_batch_outcome(std::string_view reply) {
  return {count_of(reply, "\"MessageId\""), count_of(reply, "\"SenderFault\"")};
}

BatchOutcome delete_batch_outcome(std::string_view reply) {
  size_t failed = count_of(reply, "\"SenderFault\"");
  size_t ids = count_of(reply, "\"Id\"");
  return {ids >= failed ? ids - failed : 0, failed};
}

std::string queue_url_of(std::string_view reply) {
  auto j = nlohmann::json::parse(reply, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("QueueUrl") || !j["QueueUrl"].is_string()) return {};
  return j["QueueUrl"].get<std::string>();
}

QueueCounts queue_counts_of(std::string_view reply) {
  QueueCounts counts;
  auto j = nlohmann::json::parse(reply, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("Attributes") || !j["Attributes"].is_object()) return counts;
  const auto& a = j["Attributes"];
  auto number = [&](const char* key, int64_t& out) {
    if (!a.contains(key)) return false;
    const auto& v = a[key];
    if (v.is_number_integer()) {
      out = v.get<int64_t>();
      return true;
    }
    if (!v.is_string()) return false;
    const std::string& text = v.get_ref<const std::string&>();
    auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    return r.ec == std::errc() && r.ptr == text.data() + text.size();
  };
  counts.ok = number("ApproximateNumberOfMessages", counts.visible) &&
              number("ApproximateNumberOfMessagesNotVisible", counts.not_visible);
  return counts;
}

}  // namespace sluice::bench::sqs
