#include "sidecar/kinesis/kinesis_service.h"

#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/error_map.h"

namespace sluice::kinesis {

extern const char kKinesisModelJson[];

const protocol::ServiceModel& kinesis_model() {
  static const auto model = protocol::ServiceModel::parse(kKinesisModelJson);
  return *model;
}

KinesisService::KinesisService(stream::StreamService& streams, Clock& clock)
    : TableService(kinesis_model(), kinesis::actions(), Kinesis{streams, clock}) {}

protocol::AwsError KinesisService::to_aws_error(const Error& error) const {
  return kinesis::to_aws_error(model(), error);
}

}  // namespace sluice::kinesis
