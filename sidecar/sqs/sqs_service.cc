#include "sidecar/sqs/sqs_service.h"

#include "sidecar/sqs/actions.h"
#include "sidecar/sqs/error_map.h"

namespace sluice::sqs {

extern const char kSqsModelJson[];

const protocol::ServiceModel& sqs_model() {
  static const auto model = protocol::ServiceModel::parse(kSqsModelJson);
  return *model;
}

SqsService::SqsService(queue::QueueService& queues) : TableService(sqs_model(), sqs::actions(), Sqs{queues}) {}

protocol::AwsError SqsService::to_aws_error(const Error& error) const { return sqs::to_aws_error(model(), error); }

void SqsService::complete_from_path(std::string_view path, const aws::RequestContext& context,
                                    const protocol::Operation& op, nlohmann::json& input) const {
  (void)context;
  if (path.size() <= 1 || input.contains("QueueUrl") || !op.input->find_member("QueueUrl")) return;
  input["QueueUrl"] = std::string(path);  // resolved like any QueueUrl (queue_lookup.cc)
}

}  // namespace sluice::sqs
