#pragma once
// The SNS service module's front end: the query protocol of the 2010-03-31 API
// on the generic endpoint (sidecar/aws/), with the action table (actions.cc),
// one file per action, and the error map (error_map.cc). It also serves the
// signing certificate at the SigningCertURL of the messages it signs.
//
//   query:  POST /  Action=<Action>&Version=2010-03-31  (every SDK and the CLI; XML answers,
//           or JSON with Accept: application/json), also GET with the parameters in the URL
//           (the SubscribeURL and UnsubscribeURL that HTTP/S endpoints are sent)
//   GET /SimpleNotificationService-<certificate id>.pem: the certificate, PEM

#include <memory>

#include "runtime/topic/signing.h"
#include "runtime/topic/topic_service.h"
#include "sidecar/aws/service.h"

namespace sluice::sns {

// What SNS handlers work with.
struct Sns {
  topic::TopicService& topics;
  const topic::SigningKey* signing = nullptr;  // null: nothing is signed, no certificate is served
};

class SnsService final : public aws::TableService<Sns> {
 public:
  SnsService(topic::TopicService& topics, const topic::SigningKey* signing);

  protocol::AwsError to_aws_error(const Error& error) const override;
  std::optional<server::HttpResponse> serve_path(const server::HttpRequest& request) const override;

 private:
  const topic::SigningKey* signing_;
};

// The embedded SNS wire model (generated from sns.model.json at build time).
const protocol::ServiceModel& sns_model();

// The path the certificate is served at: /SimpleNotificationService-<id>.pem.
std::string certificate_path(const topic::SigningKey& key);

// Answers a call with an empty success, or the failure.
inline topic::StatusCallback answer(const aws::CallPtr& call) {
  return [call](Status<Error> s) {
    if (!s.ok()) return call->fail(s.error());
    call->succeed();
  };
}

}  // namespace sluice::sns
