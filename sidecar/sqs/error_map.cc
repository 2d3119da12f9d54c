#include "sidecar/sqs/error_map.h"
#include "sidecar/aws/field_pattern.h"

#include <array>

namespace sluice::sqs {
namespace {

// One row: an engine error (code, and the parameter it concerns: a name, a
// prefix ending in '.', "*" for any, "" for none) and the SQS error it is.
// The first matching row wins.
struct Row {
  errc code;
  std::string_view field;
  std::string_view shape;
};

constexpr std::array kRows = {
    Row{errc::not_found, "QueueUrl", "QueueDoesNotExist"},
    Row{errc::not_found, "QueueName", "QueueDoesNotExist"},
    Row{errc::not_found, "SourceArn", "ResourceNotFoundException"},
    Row{errc::not_found, "DestinationArn", "ResourceNotFoundException"},
    Row{errc::not_found, "TaskHandle", "ResourceNotFoundException"},
    Row{errc::not_found, "Attributes.", "InvalidAttributeName"},  // an attribute that does not exist
    Row{errc::not_found, "AttributeNames", "InvalidAttributeName"},
    Row{errc::not_found, "MessageSystemAttributeNames", "InvalidAttributeName"},
    Row{errc::not_found, "*", "InvalidParameterValue"},  // an outdated receipt handle, a permission label
    Row{errc::already_exists, "QueueName", "QueueNameExists"},
    Row{errc::already_exists, "Entries.", "BatchEntryIdsNotDistinct"},
    Row{errc::already_exists, "*", "InvalidParameterValue"},
    Row{errc::invalid_argument, "QueueUrl", "InvalidAddress"},
    Row{errc::invalid_argument, "ReceiptHandle", "ReceiptHandleIsInvalid"},
    Row{errc::invalid_argument, "MessageBody", "InvalidMessageContents"},
    Row{errc::invalid_argument, "Attributes.", "InvalidAttributeValue"},
    Row{errc::invalid_argument, "Entries.", "InvalidBatchEntryId"},
    Row{errc::invalid_argument, "*", "InvalidParameterValue"},
    Row{errc::missing_argument, "Entries", "EmptyBatchRequest"},
    Row{errc::missing_argument, "*", "MissingParameter"},
    Row{errc::too_large, "Entries", "BatchRequestTooLong"},
    Row{errc::too_large, "*", "InvalidParameterValue"},
    Row{errc::limit_exceeded, "Entries", "TooManyEntriesInBatchRequest"},
    Row{errc::limit_exceeded, "", "OverLimit"},  // messages in flight
    Row{errc::limit_exceeded, "*", "InvalidParameterValue"},
    Row{errc::state_conflict, "QueueName", "QueueDeletedRecently"},
    Row{errc::state_conflict, "QueueUrl", "PurgeQueueInProgress"},
    Row{errc::state_conflict, "ReceiptHandle", "MessageNotInflight"},
    Row{errc::state_conflict, "*", "UnsupportedOperation"},  // a move task already running, or not running
    Row{errc::throttled, "*", "RequestThrottled"},
    Row{errc::expired, "*", "InvalidParameterValue"},
    Row{errc::unsupported, "*", "UnsupportedOperation"},
    Row{errc::storage_failure, "*", "InternalFailure"},
};

}  // namespace

std::string_view error_shape(const Error& error) {
  for (const auto& row : kRows)
    if (row.code == error.code && aws::field_matches(row.field, error.field)) return row.shape;
  return "InternalFailure";
}

protocol::AwsError to_aws_error(const protocol::ServiceModel& model, const Error& error) {
  const std::string shape(error_shape(error));
  std::string message = error.message;
  // AWS's form for a refused value: "Value <v> for parameter <name> is invalid. Reason: <why>".
  if (error.value && shape == "InvalidParameterValue")
    message = "Value " + *error.value + " for parameter " + error.field + " is invalid. Reason: " + error.message;
  // The common errors of every query service are not in the model.
  if (shape == "InvalidParameterValue") return protocol::invalid_parameter_value(std::move(message));
  if (shape == "MissingParameter") return {shape, shape, 400, true, std::move(message)};
  if (shape == "InternalFailure") return protocol::internal_error(std::move(message));
  const protocol::ErrorInfo* info = model.error(shape);
  if (!info) return protocol::internal_error("unmapped error " + shape + ": " + message);
  return {shape, info->code, info->status, info->sender, std::move(message)};
}

}  // namespace sluice::sqs
