#include "sidecar/sns/error_map.h"
#include "sidecar/aws/field_pattern.h"

#include <array>
#include <cctype>

namespace sluice::sns {
namespace {

// How a row words the message.
enum class Form : uint8_t {
  as_is,              // the engine's message
  invalid_parameter,  // "Invalid parameter: ..." (see invalid_parameter_message)
  fixed,              // the row's own text
  reason,             // "Invalid parameter: <the row's text> Reason: <message>"
  validation,         // "1 validation error detected: Value null at '<field>' ..."
};

// One row: an engine error (code, and the parameter it concerns: a name, a
// prefix ending in '.', "*" for any, "" for none) and the SNS error it is.
// The first matching row wins.
struct Row {
  errc code;
  std::string_view field;
  std::string_view shape;
  Form form = Form::invalid_parameter;
  std::string_view text = {};  // Form::fixed: the message; Form::reason: the parameter it names
};

constexpr std::string_view kValidationError = "ValidationError";  // AWS's common error, not in the model

constexpr std::array kRows = {
    Row{errc::not_found, "TopicArn", "NotFoundException", Form::fixed, "Topic does not exist"},
    Row{errc::not_found, "TargetArn", "NotFoundException", Form::fixed, "Topic does not exist"},
    Row{errc::not_found, "SubscriptionArn", "NotFoundException", Form::fixed, "Subscription does not exist"},
    Row{errc::not_found, "ResourceArn", "ResourceNotFoundException", Form::fixed, "Resource does not exist"},
    Row{errc::not_found, "Token", "InvalidParameterException", Form::fixed, "Invalid parameter: Token"},
    Row{errc::not_found, "Attributes.", "InvalidParameterException", Form::fixed, "Invalid parameter: AttributeName"},
    Row{errc::not_found, "AttributeName", "InvalidParameterException", Form::fixed, "Invalid parameter: AttributeName"},
    Row{errc::not_found, "Label", "InvalidParameterException"},
    Row{errc::not_found, "*", "NotFoundException", Form::as_is},
    Row{errc::already_exists, "PublishBatchRequestEntries.", "BatchEntryIdsNotDistinctException", Form::as_is},
    // CreateTopic of an existing name with other attributes: SNS blames the attributes.
    Row{errc::already_exists, "Name", "InvalidParameterException", Form::reason, "Attributes"},
    Row{errc::already_exists, "Tags", "InvalidParameterException", Form::reason, "Tags"},
    Row{errc::already_exists, "Attributes", "InvalidParameterException", Form::reason, "Attributes"},
    Row{errc::already_exists, "*", "InvalidParameterException"},
    Row{errc::invalid_argument, "PublishBatchRequestEntries.", "InvalidBatchEntryIdException", Form::as_is},
    Row{errc::invalid_argument, "MessageAttributes.", "InvalidParameterValueException", Form::as_is},
    Row{errc::invalid_argument, "Token", "InvalidParameterException", Form::fixed, "Invalid parameter: Token"},
    Row{errc::invalid_argument, "*", "InvalidParameterException"},
    Row{errc::missing_argument, "PublishBatchRequestEntries", "EmptyBatchRequestException", Form::as_is},
    Row{errc::missing_argument, "MessageGroupId", "InvalidParameterException"},
    Row{errc::missing_argument, "MessageDeduplicationId", "InvalidParameterException"},
    Row{errc::missing_argument, "*", kValidationError, Form::validation},
    Row{errc::too_large, "PublishBatchRequestEntries", "BatchRequestTooLongException", Form::as_is},
    Row{errc::too_large, "Message", "InvalidParameterException", Form::fixed, "Invalid parameter: Message too long"},
    Row{errc::too_large, "*", "InvalidParameterException"},
    Row{errc::limit_exceeded, "PublishBatchRequestEntries", "TooManyEntriesInBatchRequestException", Form::as_is},
    Row{errc::limit_exceeded, "Tags", "TagLimitExceededException", Form::as_is},
    Row{errc::limit_exceeded, "Tags.", "TagLimitExceededException", Form::as_is},
    Row{errc::limit_exceeded, "Name", "TopicLimitExceededException", Form::as_is},
    Row{errc::limit_exceeded, "TopicArn", "SubscriptionLimitExceededException", Form::as_is},
    Row{errc::limit_exceeded, "Endpoint", "SubscriptionLimitExceededException", Form::as_is},
    Row{errc::limit_exceeded, "SubscriptionArn", "SubscriptionLimitExceededException", Form::as_is},
    Row{errc::limit_exceeded, "FilterPolicy", "FilterPolicyLimitExceededException", Form::as_is},
    Row{errc::limit_exceeded, "Attributes.FilterPolicy", "FilterPolicyLimitExceededException", Form::as_is},
    Row{errc::limit_exceeded, "*", "InvalidParameterException"},
    // An unsigned Unsubscribe of a subscription confirmed with AuthenticateOnUnsubscribe.
    Row{errc::state_conflict, "SubscriptionArn", "AuthorizationErrorException", Form::as_is},
    Row{errc::state_conflict, "Tags", "ConcurrentAccessException", Form::as_is},
    Row{errc::state_conflict, "ResourceArn", "ConcurrentAccessException", Form::as_is},
    Row{errc::state_conflict, "*", "InvalidParameterException"},
    Row{errc::throttled, "*", "ThrottledException", Form::as_is},
    Row{errc::expired, "Token", "InvalidParameterException", Form::fixed, "Invalid token"},
    Row{errc::expired, "*", "InvalidParameterException"},
    Row{errc::unsupported, "*", "InvalidParameterException", Form::as_is},
    Row{errc::storage_failure, "*", "InternalErrorException", Form::as_is},
};

const Row* find_row(const Error& error) {
  for (const auto& row : kRows)
    if (row.code == error.code && aws::field_matches(row.field, error.field)) return &row;
  return nullptr;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// How SNS names a parameter in its messages: the map or list, not the entry
// ("Attributes.DisplayName" is "Attributes").
std::string_view shown(std::string_view field) { return field.substr(0, field.find('.')); }

// SNS's InvalidParameter wording: "Invalid parameter: <Field> Reason: <why>" for a
// value refused, "Invalid parameter: <what>" otherwise, and a few of its own.
std::string invalid_parameter_message(const Error& e) {
  const std::string& m = e.message;
  if (starts_with(m, "Invalid parameter")) return m;
  if (e.field == "Name") {
    if (starts_with(m, "Fifo Topic names")) return m;  // SNS says it so, without the prefix
    if (starts_with(m, "Topic names must")) return "Invalid parameter: Topic Name";
  }
  if (m.empty()) return "Invalid parameter: " + std::string(shown(e.field));
  if (e.field == "FilterPolicy" && !starts_with(m, "FilterPolicy")) return "Invalid parameter: FilterPolicy: " + m;
  // "Endpoint must match the specified protocol" names its parameter already.
  if (!e.field.empty() && starts_with(m, shown(e.field))) return "Invalid parameter: " + m;
  if (e.value && !e.value->empty() && !e.field.empty())
    return "Invalid parameter: " + std::string(shown(e.field)) + " Reason: " + m;
  return "Invalid parameter: " + m;
}

// The member as AWS's validation names it: lower camel case ("topicArn").
std::string member_path(std::string_view field) {
  std::string out(field);
  for (size_t i = 0; i < out.size(); ++i)
    if (i == 0 || out[i - 1] == '.') out[i] = char(std::tolower(static_cast<unsigned char>(out[i])));
  return out;
}

std::string message_of(const Row* row, const Error& error) {
  if (!row) return error.message;
  switch (row->form) {
    case Form::as_is:
      return error.message;
    case Form::fixed:
      return std::string(row->text);
    case Form::reason:
      return starts_with(error.message, "Invalid parameter")
                 ? error.message
                 : "Invalid parameter: " + std::string(row->text) + " Reason: " + error.message;
    case Form::validation:
      return "1 validation error detected: Value null at '" + member_path(error.field) +
             "' failed to satisfy constraint: Member must not be null";
    case Form::invalid_parameter:
      return invalid_parameter_message(error);
  }
  return error.message;
}

}  // namespace

std::string_view error_shape(const Error& error) {
  const Row* row = find_row(error);
  return row ? row->shape : "InternalErrorException";
}

protocol::AwsError to_aws_error(const protocol::ServiceModel& model, const Error& error) {
  const Row* row = find_row(error);
  const std::string shape(error_shape(error));
  std::string message = message_of(row, error);
  if (shape == kValidationError) return {shape, shape, 400, true, std::move(message)};
  const protocol::ErrorInfo* info = model.error(shape);
  if (!info) return {"InternalErrorException", "InternalError", 500, false, "unmapped error " + shape + ": " + message};
  // The model does not say who is at fault; a failure of the store is the service's.
  const bool sender = shape == "InternalErrorException" ? false : info->sender;
  return {shape, info->code, info->status, sender, std::move(message)};
}

}  // namespace sluice::sns
