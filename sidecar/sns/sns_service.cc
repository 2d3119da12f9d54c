#include "sidecar/sns/sns_service.h"

#include "sidecar/sns/actions.h"
#include "sidecar/sns/error_map.h"

namespace sluice::sns {

extern const char kSnsModelJson[];

const protocol::ServiceModel& sns_model() {
  static const auto model = protocol::ServiceModel::parse(kSnsModelJson);
  return *model;
}

std::string certificate_path(const topic::SigningKey& key) {
  return "/SimpleNotificationService-" + key.certificate_id() + ".pem";
}

SnsService::SnsService(topic::TopicService& topics, const topic::SigningKey* signing)
    : TableService(sns_model(), sns::actions(), Sns{topics, signing}), signing_(signing) {}

protocol::AwsError SnsService::to_aws_error(const Error& error) const { return sns::to_aws_error(model(), error); }

std::optional<server::HttpResponse> SnsService::serve_path(const server::HttpRequest& request) const {
  if (!signing_ || request.path != certificate_path(*signing_)) return std::nullopt;
  server::HttpResponse r;
  r.content_type = "application/x-x509-ca-cert";
  r.body = signing_->certificate_pem();
  return r;
}

}  // namespace sluice::sns
