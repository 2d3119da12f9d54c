#pragma once
// How SNS signs what it sends to HTTP/S endpoints, so that receivers' standard
// verifiers accept Sluice's messages: an RSA key with a self-signed X.509
// certificate (served by the sidecar at the messages' SigningCertURL), the
// canonical string AWS builds for each message type, and the signature over it:
// SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, base64-encoded.
//
// The canonical string (AWS: "Verifying the signatures of Amazon SNS messages"):
// for a Notification the keys Message, MessageId, Subject (only when present),
// Timestamp, TopicArn, Type; for SubscriptionConfirmation and
// UnsubscribeConfirmation the keys Message, MessageId, SubscribeURL, Timestamp,
// Token, TopicArn, Type; each as "<key>\n<value>\n", in that order.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/common/error.h"

namespace sluice::topic {

// The fields of an envelope that its signature covers.
struct SignedFields {
  std::string type;  // Notification, SubscriptionConfirmation, UnsubscribeConfirmation
  std::string message;
  std::string message_id;
  std::optional<std::string> subject;  // Notification only
  std::string subscribe_url;           // confirmations only
  std::string timestamp;               // 2026-12-06T20:57:38.123Z
  std::string token;                   // confirmations only
  std::string topic_arn;
};

std::string canonical_string(const SignedFields& fields);

class SigningKey {
 public:
  // Loads the key and certificate from `directory` (sns-signing-key.pem and
  // sns-signing-cert.pem), or makes them there the first time (RSA 2048, a
  // self-signed certificate valid for ten years), so that signatures stay
  // verifiable across restarts.
  static Result<std::unique_ptr<SigningKey>, Error> load_or_create(const std::string& directory);
  // A fresh key that lives in memory only (tests, --durability memory).
  static Result<std::unique_ptr<SigningKey>, Error> generate();

  ~SigningKey();
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  // The certificate, PEM-encoded, as served at SigningCertURL.
  const std::string& certificate_pem() const;
  // A short stable id of the certificate (hex of its SHA-256, 32 characters), for
  // the certificate's file name: SimpleNotificationService-<id>.pem.
  const std::string& certificate_id() const;
  // The base64 signature of `canonical` for SignatureVersion 1 (SHA1withRSA) or 2 (SHA256withRSA).
  std::string sign(std::string_view canonical, int signature_version) const;

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice::topic
