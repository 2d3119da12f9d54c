#include "sidecar/sqs/error_map.h"

namespace sluice::sqs {

protocol::AwsError to_aws_error(const protocol::ServiceModel& model, const queue::Error& error) {
  using queue::errc;
  // Model exception shapes; errors outside the model are the common AWS errors.
  const char* shape = nullptr;
  switch (error.code) {
    case errc::queue_does_not_exist: shape = "QueueDoesNotExist"; break;
    case errc::queue_name_exists: shape = "QueueNameExists"; break;
    case errc::queue_deleted_recently: shape = "QueueDeletedRecently"; break;
    case errc::invalid_attribute_name: shape = "InvalidAttributeName"; break;
    case errc::invalid_attribute_value: shape = "InvalidAttributeValue"; break;
    case errc::invalid_message_contents: shape = "InvalidMessageContents"; break;
    case errc::receipt_handle_is_invalid: shape = "ReceiptHandleIsInvalid"; break;
    case errc::message_not_inflight: shape = "MessageNotInflight"; break;
    case errc::purge_queue_in_progress: shape = "PurgeQueueInProgress"; break;
    case errc::over_limit: shape = "OverLimit"; break;
    case errc::too_many_entries_in_batch_request: shape = "TooManyEntriesInBatchRequest"; break;
    case errc::empty_batch_request: shape = "EmptyBatchRequest"; break;
    case errc::batch_entry_ids_not_distinct: shape = "BatchEntryIdsNotDistinct"; break;
    case errc::invalid_batch_entry_id: shape = "InvalidBatchEntryId"; break;
    case errc::batch_request_too_long: shape = "BatchRequestTooLong"; break;
    case errc::resource_not_found: shape = "ResourceNotFoundException"; break;
    case errc::unsupported_operation: shape = "UnsupportedOperation"; break;
    case errc::invalid_parameter_value:
      return protocol::invalid_parameter_value(error.message);
    case errc::missing_parameter:
      return {"MissingParameter", "MissingParameter", 400, true, error.message};
    case errc::internal_error:
      return protocol::internal_error(error.message);
  }
  const protocol::ErrorInfo* info = model.error(shape);
  if (!info) return protocol::internal_error("unmapped error " + std::string(shape) + ": " + error.message);
  return {shape, info->code, info->status, info->sender, error.message};
}

}  // namespace sluice::sqs
