#pragma once
// The JSON document SNS delivers when raw delivery is off, and the one it
// sends to confirm an HTTP/S subscription, formatted as SNS formats them (one
// member per line, `"Key" : value`), signed over AWS's canonical string.

#include <string>

#include "runtime/topic/delivery.h"
#include "runtime/topic/published.h"

namespace sluice::topic {

// ISO 8601 UTC with milliseconds: 2026-12-06T20:57:38.123Z.
std::string iso8601(TimeMs ms);

// A Notification. `protocol` picks the MessageStructure=json variant.
std::string notification_envelope(const Published& message, const Target& target, const DeliveryContext& context);
// Its Signature (standard topics), made once per message and signature version.
std::string notification_signature(const Published& message, const Target& target, const DeliveryContext& context);

// A SubscriptionConfirmation or UnsubscribeConfirmation for an HTTP/S endpoint.
std::string confirmation_envelope(const std::string& type, const std::string& message_id, const std::string& token,
                                  const std::string& topic_arn, TimeMs now, int signature_version,
                                  const DeliveryContext& context);

// The URLs envelopes carry.
std::string signing_cert_url(const DeliveryContext& context);
std::string unsubscribe_url(const DeliveryContext& context, const std::string& subscription_arn);
std::string subscribe_url(const DeliveryContext& context, const std::string& topic_arn, const std::string& token);

// SNS's attribute JSON for an envelope's MessageAttributes: {"name": {"Type": ..., "Value": ...}}
// (Binary values base64).
std::string attributes_json(const MessageAttributes& attributes);

}  // namespace sluice::topic
