#include "sidecar/kinesis/error_map.h"

#include <gtest/gtest.h>

#include "sidecar/kinesis/kinesis_service.h"

namespace sluice::kinesis {
namespace {

struct Case {
  errc code;
  const char* field;
  const char* shape;
};

TEST(ErrorMap, EachEngineErrorIsTheKinesisExceptionAwsAnswers) {
  const Case cases[] = {
      {errc::not_found, "StreamName", "ResourceNotFoundException"},
      {errc::already_exists, "StreamName", "ResourceInUseException"},
      {errc::state_conflict, "EnforceConsumerDeletion", "ResourceInUseException"},
      {errc::invalid_argument, "ShardIterator", "InvalidArgumentException"},
      {errc::missing_argument, "StreamName", "ValidationException"},
      {errc::too_large, "Data", "ValidationException"},
      {errc::limit_exceeded, "ShardCount", "LimitExceededException"},
      {errc::throttled, "Records", "ProvisionedThroughputExceededException"},
      {errc::expired, "ShardIterator", "ExpiredIteratorException"},
      {errc::expired, "NextToken", "ExpiredNextTokenException"},
      {errc::unsupported, "TargetShardCount", "ValidationException"},
      {errc::storage_failure, "", "InternalFailureException"},
  };
  for (const auto& c : cases) {
    auto e = to_aws_error(kinesis_model(), {c.code, c.field, "why", std::nullopt});
    EXPECT_EQ(e.type, c.shape) << to_string(c.code) << " " << c.field;
    EXPECT_EQ(e.status, c.code == errc::storage_failure ? 500 : 400) << c.shape;
  }
}

TEST(ErrorMap, ValidationErrorsTakeAwsWording) {
  auto e = to_aws_error(kinesis_model(), missing("StreamName").error);
  EXPECT_EQ(e.message,
            "1 validation error detected: Value null at 'streamName' failed to satisfy constraint: Member must not be "
            "null");
  auto big = to_aws_error(kinesis_model(), {errc::too_large, "Data",
                                            "Member must have length less than or equal to "
                                            "1048576",
                                            std::nullopt});
  EXPECT_EQ(big.message,
            "1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less "
            "than or equal to 1048576");
}

}  // namespace
}  // namespace sluice::kinesis
