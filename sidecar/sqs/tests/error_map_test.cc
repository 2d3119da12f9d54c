// Every engine error maps to the code, status and fault side AWS documents
// (query codes from the botocore query-era model, statuses from the API reference).

#include "sidecar/sqs/error_map.h"

#include <gtest/gtest.h>

#include "sidecar/sqs/sqs_api.h"

namespace sluice::sqs {
namespace {

using queue::errc;

struct Row {
  errc code;
  const char* type;
  const char* query_code;
  int status;
};

constexpr Row kTable[] = {
    {errc::queue_does_not_exist, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400},
    {errc::queue_name_exists, "QueueNameExists", "QueueAlreadyExists", 400},
    {errc::queue_deleted_recently, "QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", 400},
    {errc::invalid_attribute_name, "InvalidAttributeName", "InvalidAttributeName", 400},
    {errc::invalid_attribute_value, "InvalidAttributeValue", "InvalidAttributeValue", 400},
    {errc::invalid_parameter_value, "InvalidParameterValue", "InvalidParameterValue", 400},
    {errc::missing_parameter, "MissingParameter", "MissingParameter", 400},
    {errc::invalid_message_contents, "InvalidMessageContents", "InvalidMessageContents", 400},
    {errc::receipt_handle_is_invalid, "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 400},
    {errc::message_not_inflight, "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", 400},
    {errc::purge_queue_in_progress, "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403},
    {errc::over_limit, "OverLimit", "OverLimit", 403},
    {errc::too_many_entries_in_batch_request, "TooManyEntriesInBatchRequest",
     "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400},
    {errc::empty_batch_request, "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", 400},
    {errc::batch_entry_ids_not_distinct, "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400},
    {errc::invalid_batch_entry_id, "InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", 400},
    {errc::batch_request_too_long, "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", 400},
    {errc::resource_not_found, "ResourceNotFoundException", "ResourceNotFoundException", 404},
    {errc::unsupported_operation, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400},
    {errc::internal_error, "InternalFailure", "InternalFailure", 500},
};

TEST(ErrorMap, EveryEngineErrorHasItsAwsCodeAndStatus) {
  auto model = protocol::ServiceModel::parse(kSqsModelJson);
  for (const auto& row : kTable) {
    SCOPED_TRACE(row.type);
    auto e = to_aws_error(*model, queue::Error{row.code, "message"});
    EXPECT_EQ(e.type, row.type);
    EXPECT_EQ(e.code, row.query_code);
    EXPECT_EQ(e.status, row.status);
    EXPECT_EQ(e.sender, row.status < 500);
    EXPECT_EQ(e.message, "message");
  }
}

TEST(ErrorMap, TheTableCoversEveryErrc) {
  EXPECT_EQ(std::size(kTable), size_t(errc::internal_error) + 1);
}

}  // namespace
}  // namespace sluice::sqs
