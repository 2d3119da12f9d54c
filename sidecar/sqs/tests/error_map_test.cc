// Every engine error the SQS handlers and the queue engine produce maps to the
// code, status and fault side AWS documents (query codes from the botocore
// query-era model, statuses from the API reference).

#include "sidecar/sqs/error_map.h"

#include <gtest/gtest.h>

#include "sidecar/sqs/sqs_service.h"

namespace sluice::sqs {
namespace {

struct Row {
  errc code;
  const char* field;
  const char* type;
  const char* query_code;
  int status;
};

constexpr Row kTable[] = {
    {errc::not_found, "QueueUrl", "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400},
    {errc::not_found, "QueueName", "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400},
    {errc::not_found, "SourceArn", "ResourceNotFoundException", "ResourceNotFoundException", 404},
    {errc::not_found, "TaskHandle", "ResourceNotFoundException", "ResourceNotFoundException", 404},
    {errc::not_found, "Attributes.Foo", "InvalidAttributeName", "InvalidAttributeName", 400},
    {errc::not_found, "AttributeNames", "InvalidAttributeName", "InvalidAttributeName", 400},
    {errc::not_found, "ReceiptHandle", "InvalidParameterValue", "InvalidParameterValue", 400},
    {errc::already_exists, "QueueName", "QueueNameExists", "QueueAlreadyExists", 400},
    {errc::already_exists, "Entries.2.Id", "BatchEntryIdsNotDistinct",
     "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400},
    {errc::invalid_argument, "QueueUrl", "InvalidAddress", "InvalidAddress", 400},
    {errc::invalid_argument, "ReceiptHandle", "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 400},
    {errc::invalid_argument, "MessageBody", "InvalidMessageContents", "InvalidMessageContents", 400},
    {errc::invalid_argument, "Attributes.DelaySeconds", "InvalidAttributeValue", "InvalidAttributeValue", 400},
    {errc::invalid_argument, "Entries.1.Id", "InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", 400},
    {errc::invalid_argument, "VisibilityTimeout", "InvalidParameterValue", "InvalidParameterValue", 400},
    {errc::invalid_argument, "MessageAttributes.x", "InvalidParameterValue", "InvalidParameterValue", 400},
    {errc::missing_argument, "Entries", "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", 400},
    {errc::missing_argument, "MessageGroupId", "MissingParameter", "MissingParameter", 400},
    {errc::too_large, "Entries", "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", 400},
    {errc::too_large, "MessageBody", "InvalidParameterValue", "InvalidParameterValue", 400},
    {errc::limit_exceeded, "Entries", "TooManyEntriesInBatchRequest",
     "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400},
    {errc::limit_exceeded, "", "OverLimit", "OverLimit", 403},
    {errc::limit_exceeded, "MessageAttributes", "InvalidParameterValue", "InvalidParameterValue", 400},
    {errc::state_conflict, "QueueName", "QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", 400},
    {errc::state_conflict, "QueueUrl", "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403},
    {errc::state_conflict, "ReceiptHandle", "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", 400},
    {errc::state_conflict, "SourceArn", "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400},
    {errc::throttled, "", "RequestThrottled", "RequestThrottled", 403},
    {errc::unsupported, "", "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400},
    {errc::storage_failure, "", "InternalFailure", "InternalFailure", 500},
};

TEST(ErrorMap, EveryEngineErrorHasItsAwsCodeAndStatus) {
  for (const auto& row : kTable) {
    SCOPED_TRACE(std::string(to_string(row.code)) + " " + row.field);
    auto e = to_aws_error(sqs_model(), Error{row.code, row.field, "why", std::nullopt});
    EXPECT_EQ(e.type, row.type);
    EXPECT_EQ(e.code, row.query_code);
    EXPECT_EQ(e.status, row.status);
    EXPECT_EQ(e.sender, row.status < 500);
    EXPECT_EQ(e.message, "why");
    EXPECT_FALSE(e.framework);
  }
}

TEST(ErrorMap, EveryErrcHasARow) {
  // Only a storage failure is the service's fault; every other code, about any
  // parameter, is one of the caller's errors.
  for (int c = 0; c < int(errc::storage_failure); ++c) {
    Error e{errc(c), "AnyParameter", "why", std::nullopt};
    EXPECT_NE(error_shape(e), "InternalFailure") << to_string(errc(c));
  }
}

TEST(ErrorMap, ARefusedValueIsQuotedAsAwsQuotesIt) {
  auto e = to_aws_error(sqs_model(), invalid("DelaySeconds", "901", "DelaySeconds must be >= 0 and <= 900.").error);
  EXPECT_EQ(e.code, "InvalidParameterValue");
  EXPECT_EQ(e.message,
            "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.");
}

}  // namespace
}  // namespace sluice::sqs
