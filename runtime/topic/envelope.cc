#include "runtime/topic/envelope.h"

#include <nlohmann/json.hpp>

#include <ctime>

#include "runtime/common/base64.h"
#include "runtime/common/text.h"

namespace sluice::topic {
namespace {

using nlohmann::json;

// SNS's layout: one member per line, "Key" : value.
class Writer {
 public:
  void add(std::string_view key, const std::string& value) { raw(key, json(value).dump()); }
  void raw(std::string_view key, const std::string& encoded) {
    out_ += out_.empty() ? "{\n" : ",\n";
    out_ += "  \"";
    out_ += key;
    out_ += "\" : ";
    out_ += encoded;
  }
  std::string finish() { return out_.empty() ? "{}" : out_ + "\n}"; }

 private:
  std::string out_;
};

std::string sign(const DeliveryContext& context, const SignedFields& fields, int version) {
  return context.signing ? context.signing->sign(canonical_string(fields), version) : std::string();
}

}  // namespace

std::string iso8601(TimeMs ms) {
  const std::time_t secs = std::time_t(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // room for any int the fields could hold, so no truncation is possible
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
  return buf;
}

std::string signing_cert_url(const DeliveryContext& c) {
  const std::string id = c.signing ? c.signing->certificate_id() : "unsigned";
  return c.base_url + "/SimpleNotificationService-" + id + ".pem";
}

std::string unsubscribe_url(const DeliveryContext& c, const std::string& subscription_arn) {
  return c.base_url + "/?Action=Unsubscribe&SubscriptionArn=" + url_encode(subscription_arn) + "&Version=2010-03-31";
}

std::string subscribe_url(const DeliveryContext& c, const std::string& topic_arn, const std::string& token) {
  return c.base_url + "/?Action=ConfirmSubscription&TopicArn=" + url_encode(topic_arn) + "&Token=" + url_encode(token) +
         "&Version=2010-03-31";
}

std::string attributes_json(const MessageAttributes& attributes) {
  json out = json::object();
  for (const auto& [name, a] : attributes) {
    const bool binary = a.data_type.rfind("Binary", 0) == 0;
    out[name] = {{"Type", a.data_type}, {"Value", binary ? base64_encode(a.value) : a.value}};
  }
  return out.dump();
}

std::string notification_signature(const Published& m, const Target& target, const DeliveryContext& context) {
  const std::string& message = m.message_for(target.protocol);
  const int version = target.signature_version;
  SignedFields f{"Notification",          message, m.message_id,    m.entry.subject, "",
                 iso8601(m.timestamp_ms), "",      target.topic_arn};
  // The signature covers the message text, so MessageStructure=json variants are signed each.
  if (!m.entry.structured.empty()) return sign(context, f, version);
  return m.memo(version == 2 ? Published::Memo::signature_v2 : Published::Memo::signature_v1,
                [&] { return sign(context, f, version); });
}

std::string notification_envelope(const Published& m, const Target& target, const DeliveryContext& context) {
  const std::string& message = m.message_for(target.protocol);
  Writer w;
  w.add("Type", "Notification");
  w.add("MessageId", m.message_id);
  if (target.fifo_topic) w.add("SequenceNumber", sequence_number(m.seq));
  w.add("TopicArn", target.topic_arn);
  if (m.entry.subject) w.add("Subject", *m.entry.subject);
  w.add("Message", message);
  w.add("Timestamp", iso8601(m.timestamp_ms));
  // FIFO notifications carry no signature, as on SNS.
  if (!target.fifo_topic) {
    w.add("SignatureVersion", std::to_string(target.signature_version));
    w.add("Signature", notification_signature(m, target, context));
    w.add("SigningCertURL", signing_cert_url(context));
  }
  w.add("UnsubscribeURL", unsubscribe_url(context, target.subscription_arn));
  if (!m.entry.attributes.empty()) w.raw("MessageAttributes", attributes_json(m.entry.attributes));
  return w.finish();
}

std::string confirmation_envelope(const std::string& type, const std::string& message_id, const std::string& token,
                                  const std::string& topic_arn, TimeMs now, int signature_version,
                                  const DeliveryContext& context) {
  const std::string url = subscribe_url(context, topic_arn, token);
  const std::string message =
      type == "SubscriptionConfirmation"
          ? "You have chosen to subscribe to the topic " + topic_arn +
                ".\nTo confirm the subscription, visit the SubscribeURL included in this message."
          : "You have chosen to deactivate subscription " + topic_arn +
                ".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this "
                "message.";
  const std::string timestamp = iso8601(now);
  SignedFields f{type, message, message_id, std::nullopt, url, timestamp, token, topic_arn};
  Writer w;
  w.add("Type", type);
  w.add("MessageId", message_id);
  w.add("Token", token);
  w.add("TopicArn", topic_arn);
  w.add("Message", message);
  w.add("SubscribeURL", url);
  w.add("Timestamp", timestamp);
  w.add("SignatureVersion", std::to_string(signature_version));
  w.add("Signature", sign(context, f, signature_version));
  w.add("SigningCertURL", signing_cert_url(context));
  return w.finish();
}

}  // namespace sluice::topic
