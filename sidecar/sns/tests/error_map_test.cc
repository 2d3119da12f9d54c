// Every engine error the SNS handlers and the topic engine produce maps to the
// code, status, fault side and message form SNS uses (codes and statuses from
// the botocore model; messages as SNS words them).

#include "sidecar/sns/error_map.h"

#include <gtest/gtest.h>

#include "sidecar/sns/sns_service.h"

namespace sluice::sns {
namespace {

struct Row {
  Error error;
  const char* type;
  const char* code;
  int status;
  const char* message;  // "" to skip
};

Error e(errc code, std::string field, std::string message, std::optional<std::string> value = std::nullopt) {
  return Error{code, std::move(field), std::move(message), std::move(value)};
}

const Row kTable[] = {
    {e(errc::not_found, "TopicArn", "no such topic"), "NotFoundException", "NotFound", 404, "Topic does not exist"},
    {e(errc::not_found, "SubscriptionArn", "gone"), "NotFoundException", "NotFound", 404,
     "Subscription does not exist"},
    {e(errc::not_found, "ResourceArn", "gone"), "ResourceNotFoundException", "ResourceNotFound", 404,
     "Resource does not exist"},
    {e(errc::not_found, "Token", "no such token"), "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: Token"},
    {e(errc::not_found, "Attributes.Nope", "no such attribute"), "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: AttributeName"},
    {e(errc::already_exists, "PublishBatchRequestEntries.2.Id",
       "Two or more batch entries in the request have the same Id."),
     "BatchEntryIdsNotDistinctException", "BatchEntryIdsNotDistinct", 400,
     "Two or more batch entries in the request have the same Id."},
    {e(errc::already_exists, "Name", "Topic already exists with different attributes"), "InvalidParameterException",
     "InvalidParameter", 400, "Invalid parameter: Attributes Reason: Topic already exists with different attributes"},
    {e(errc::already_exists, "Tags", "Topic already exists with different tags"), "InvalidParameterException",
     "InvalidParameter", 400, "Invalid parameter: Tags Reason: Topic already exists with different tags"},
    {e(errc::already_exists, "Attributes", "Subscription already exists with different attributes"),
     "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"},
    {e(errc::invalid_argument, "Token", "Invalid token", "abc"), "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: Token"},
    {e(errc::invalid_argument, "Endpoint", "Endpoint must match the specified protocol", "ftp://x"),
     "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: Endpoint must match the specified protocol"},
    {e(errc::invalid_argument, "Name", "Topic names must be made up of only ...", "a b"), "InvalidParameterException",
     "InvalidParameter", 400, "Invalid parameter: Topic Name"},
    {e(errc::invalid_argument, "Name", "Fifo Topic names must end with .fifo", "x"), "InvalidParameterException",
     "InvalidParameter", 400, "Fifo Topic names must end with .fifo"},
    {e(errc::invalid_argument, "TopicArn", "x does not start with arn", "x"), "InvalidParameterException",
     "InvalidParameter", 400, "Invalid parameter: TopicArn Reason: x does not start with arn"},
    {e(errc::invalid_argument, "Attributes.DisplayName", "DisplayName must be at most 100 characters", "xx"),
     "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: Attributes Reason: DisplayName must be at most 100 characters"},
    {e(errc::invalid_argument, "Attributes.Nope", "Invalid parameter: AttributeName", "v"), "InvalidParameterException",
     "InvalidParameter", 400, "Invalid parameter: AttributeName"},
    {e(errc::invalid_argument, "FilterPolicy", "failed to parse JSON."), "InvalidParameterException",
     "InvalidParameter", 400, "Invalid parameter: FilterPolicy: failed to parse JSON."},
    {e(errc::invalid_argument, "Message", "Empty message", ""), "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: Empty message"},
    {e(errc::invalid_argument, "MessageDeduplicationId",
       "The request includes MessageDeduplicationId parameter that is not valid for this topic type", "d"),
     "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is "
     "not valid for this topic type"},
    {e(errc::invalid_argument, "Protocol", "Amazon SNS does not support this protocol string: x"),
     "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: Amazon SNS does not support this protocol string: x"},
    {e(errc::invalid_argument, "MessageAttributes.x", "The message attribute 'x' has an invalid message attribute type",
       "x"),
     "InvalidParameterValueException", "ParameterValueInvalid", 400,
     "The message attribute 'x' has an invalid message attribute type"},
    {e(errc::invalid_argument, "PublishBatchRequestEntries.1.Id", "The Id of a batch entry ...", "a b"),
     "InvalidBatchEntryIdException", "InvalidBatchEntryId", 400, "The Id of a batch entry ..."},
    {e(errc::missing_argument, "PublishBatchRequestEntries", "The batch request doesn't contain any entries."),
     "EmptyBatchRequestException", "EmptyBatchRequest", 400, "The batch request doesn't contain any entries."},
    {e(errc::missing_argument, "MessageGroupId", "The MessageGroupId parameter is required for FIFO topics"),
     "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"},
    {e(errc::missing_argument, "TopicArn", "The request must contain the parameter TopicArn."), "ValidationError",
     "ValidationError", 400,
     "1 validation error detected: Value null at 'topicArn' failed to satisfy constraint: Member must not be null"},
    {e(errc::too_large, "Message", "too big"), "InvalidParameterException", "InvalidParameter", 400,
     "Invalid parameter: Message too long"},
    {e(errc::too_large, "PublishBatchRequestEntries",
       "The length of all the messages put together is more than the limit."),
     "BatchRequestTooLongException", "BatchRequestTooLong", 400, ""},
    {e(errc::limit_exceeded, "PublishBatchRequestEntries", "The batch request contains more entries than permissible."),
     "TooManyEntriesInBatchRequestException", "TooManyEntriesInBatchRequest", 400, ""},
    {e(errc::limit_exceeded, "Tags", "Could not complete request: tag quota of per resource exceeded"),
     "TagLimitExceededException", "TagLimitExceeded", 400,
     "Could not complete request: tag quota of per resource exceeded"},
    {e(errc::limit_exceeded, "Name", "too many topics"), "TopicLimitExceededException", "TopicLimitExceeded", 403, ""},
    {e(errc::limit_exceeded, "TopicArn", "too many subscriptions"), "SubscriptionLimitExceededException",
     "SubscriptionLimitExceeded", 403, ""},
    {e(errc::limit_exceeded, "FilterPolicy", "too many filter policies"), "FilterPolicyLimitExceededException",
     "FilterPolicyLimitExceeded", 403, ""},
    {e(errc::state_conflict, "SubscriptionArn", "takes a signed request"), "AuthorizationErrorException",
     "AuthorizationError", 403, "takes a signed request"},
    {e(errc::state_conflict, "Tags", "tags are being changed"), "ConcurrentAccessException", "ConcurrentAccess", 400,
     ""},
    {e(errc::state_conflict, "TopicArn", "the topic is being deleted"), "InvalidParameterException", "InvalidParameter",
     400, "Invalid parameter: the topic is being deleted"},
    {e(errc::throttled, "", "slow down"), "ThrottledException", "Throttled", 429, "slow down"},
    {e(errc::expired, "Token", "expired"), "InvalidParameterException", "InvalidParameter", 400, "Invalid token"},
    {e(errc::unsupported, "Protocol", "Sluice cannot deliver to Firehose yet (no delivery stream engine)"),
     "InvalidParameterException", "InvalidParameter", 400,
     "Sluice cannot deliver to Firehose yet (no delivery stream engine)"},
    {e(errc::storage_failure, "", "disk full"), "InternalErrorException", "InternalError", 500, "disk full"},
};

TEST(ErrorMap, EveryEngineErrorHasItsSnsShape) {
  for (const auto& row : kTable) {
    const auto mapped = to_aws_error(sns_model(), row.error);
    const std::string what = std::string(to_string(row.error.code)) + " " + row.error.field;
    EXPECT_EQ(mapped.type, row.type) << what;
    EXPECT_EQ(mapped.code, row.code) << what;
    EXPECT_EQ(mapped.status, row.status) << what;
    EXPECT_EQ(mapped.sender, row.status < 500) << what;
    if (*row.message) {
      EXPECT_EQ(mapped.message, row.message) << what;
    }
  }
}

TEST(ErrorMap, EveryErrcIsMapped) {
  for (int c = 0; c <= int(errc::storage_failure); ++c) {
    const Error any{errc(c), "SomeField", "why", std::nullopt};
    const std::string shape(error_shape(any));
    EXPECT_TRUE(sns_model().error(shape) || shape == "ValidationError") << to_string(errc(c)) << " -> " << shape;
  }
}

}  // namespace
}  // namespace sluice::sns
