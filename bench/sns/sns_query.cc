#include "bench/sns/sns_query.h"

#include "bench/sqs/sqs_json.h"

#include <charconv>

namespace sluice::bench::sns {
namespace {

constexpr size_t kStampDigits = 20;

bool unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

}  // namespace

std::string request(std::string_view host_port, std::string_view form) {
  std::string r;
  r.reserve(form.size() + 512);
  r += "POST / HTTP/1.1\r\nHost: ";
  r += host_port;
  r += "\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
       "X-Amz-Date: 20260101T000000Z\r\n"
       "Authorization: AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/sns/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date, "
       "Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
       "Content-Length: ";
  r += std::to_string(form.size());
  r += "\r\n\r\n";
  r += form;
  return r;
}

std::string form_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string form(std::string_view action, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string f = "Action=" + std::string(action) + "&Version=2010-03-31";
  for (const auto& [k, v] : params) f += "&" + k + "=" + form_encode(v);
  return f;
}

std::string create_topic_form(std::string_view name) { return form("CreateTopic", {{"Name", std::string(name)}}); }

std::string subscribe_form(std::string_view topic_arn, std::string_view protocol, std::string_view endpoint, bool raw) {
  std::vector<std::pair<std::string, std::string>> p = {
      {"TopicArn", std::string(topic_arn)}, {"Protocol", std::string(protocol)}, {"Endpoint", std::string(endpoint)}};
  if (raw) {
    p.emplace_back("Attributes.entry.1.key", "RawMessageDelivery");
    p.emplace_back("Attributes.entry.1.value", "true");
  }
  return form("Subscribe", p);
}

std::string publish_form(std::string_view topic_arn, std::string_view message) {
  return form("Publish", {{"TopicArn", std::string(topic_arn)}, {"Message", std::string(message)}});
}

std::string xml_value(std::string_view reply, std::string_view tag) {
  std::string open(1, '<'), close("</");
  open.append(tag).push_back('>');
  close.append(tag).push_back('>');
  size_t a = reply.find(open);
  if (a == std::string_view::npos) return "";
  a += open.size();
  size_t b = reply.find(close, a);
  if (b == std::string_view::npos) return "";
  std::string_view raw = reply.substr(a, b - a);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool matched = false;
    for (const auto& [entity, c] : kEntities) {
      if (raw.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size() - 1;
        matched = true;
        break;
      }
    }
    if (!matched) out += '&';
  }
  return out;
}

std::string stamped_message(size_t bytes, int phase) {
  std::string m(kStampMarker);
  m += static_cast<char>('0' + phase % 10);
  m.append(kStampDigits, '0');
  if (m.size() < bytes) m += sqs::message_body(bytes - m.size());
  return m;
}

bool scan_stamp(std::string_view text, int& phase, int64_t& nanos) {
  size_t at = text.find(kStampMarker);
  if (at == std::string_view::npos || text.size() < at + kStampMarker.size() + 1 + kStampDigits) return false;
  at += kStampMarker.size();
  char p = text[at];
  if (p < '0' || p > '9') return false;
  phase = p - '0';
  const char* first = text.data() + at + 1;
  auto [end, ec] = std::from_chars(first, first + kStampDigits, nanos);
  return ec == std::errc() && end == first + kStampDigits;
}

PublishRequest::PublishRequest(std::string bytes) : bytes_(std::move(bytes)) {
  size_t head_end = bytes_.find("\r\n\r\n");
  size_t at = head_end == std::string::npos ? std::string::npos : bytes_.find(kStampMarker, head_end);
  if (at != std::string::npos) stamp_at_ = at + kStampMarker.size() + 1;
}

void PublishRequest::stamp(int64_t nanos) {
  if (!stamped()) return;
  char* p = bytes_.data() + stamp_at_ + kStampDigits;
  uint64_t v = nanos < 0 ? 0 : static_cast<uint64_t>(nanos);
  for (size_t i = 0; i < kStampDigits; ++i) {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

}  // namespace sluice::bench::sns
