#include "sidecar/kinesis/error_map.h"

#include <array>
#include <cctype>

#include "sidecar/aws/field_pattern.h"

namespace sluice::kinesis {
namespace {

struct Row {
  errc code;
  std::string_view field;
  std::string_view shape;
};

constexpr std::array kRows = {
    Row{errc::not_found, "*", "ResourceNotFoundException"},
    Row{errc::already_exists, "*", "ResourceInUseException"},
    Row{errc::state_conflict, "*", "ResourceInUseException"},
    Row{errc::invalid_argument, "*", "InvalidArgumentException"},
    Row{errc::missing_argument, "*", "ValidationException"},
    Row{errc::too_large, "*", "ValidationException"},
    Row{errc::limit_exceeded, "*", "LimitExceededException"},
    Row{errc::throttled, "*", "ProvisionedThroughputExceededException"},
    Row{errc::expired, "NextToken", "ExpiredNextTokenException"},
    Row{errc::expired, "*", "ExpiredIteratorException"},
    Row{errc::unsupported, "*", "ValidationException"},
    Row{errc::storage_failure, "*", "InternalFailureException"},
};

const Row* find_row(const Error& error) {
  for (const auto& row : kRows)
    if (row.code == error.code && aws::field_matches(row.field, error.field)) return &row;
  return nullptr;
}

// The member as AWS's validation names it: lower camel case ("streamName").
std::string member_path(std::string_view field) {
  std::string out(field);
  for (size_t i = 0; i < out.size(); ++i)
    if (i == 0 || out[i - 1] == '.') out[i] = char(std::tolower(static_cast<unsigned char>(out[i])));
  return out;
}

std::string message_of(const Error& e) {
  if (e.code == errc::missing_argument)
    return "1 validation error detected: Value null at '" + member_path(e.field) +
           "' failed to satisfy constraint: Member must not be null";
  if (e.code == errc::too_large && !e.field.empty())
    return "1 validation error detected: Value at '" + member_path(e.field) +
           "' failed to satisfy constraint: " + e.message;
  return e.message;
}

}  // namespace

std::string_view error_shape(const Error& error) {
  const Row* row = find_row(error);
  return row ? row->shape : "InternalFailureException";
}

protocol::AwsError to_aws_error(const protocol::ServiceModel& model, const Error& error) {
  const std::string shape(error_shape(error));
  const protocol::ErrorInfo* info = model.error(shape);
  if (!info) return {"InternalFailureException", "InternalFailure", 500, false, "unmapped error " + shape};
  // AWS answers its own failures with 500; the model gives every error 400.
  if (shape == "InternalFailureException") return {shape, info->code, 500, false, message_of(error)};
  return {shape, info->code, info->status, info->sender, message_of(error)};
}

}  // namespace sluice::kinesis
