#pragma once
// The one place where the topic engine's errors (and the SNS handlers') become
// AWS errors. An engine error says what happened (errc) and to which parameter
// (field); the table in error_map.cc picks the model's exception shape for each
// pair, and the shape gives the query code and the HTTP status. Messages take
// SNS's forms: "Invalid parameter: <what>" and "Invalid parameter: <Field> Reason:
// <why>" for InvalidParameter, "Topic does not exist" for NotFound. Tested as a
// table in tests/error_map_test.cc.

#include "runtime/common/error.h"
#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"

namespace sluice::sns {

protocol::AwsError to_aws_error(const protocol::ServiceModel& model, const Error& error);

// The shape (or common error) an engine error maps to: the table's answer alone.
std::string_view error_shape(const Error& error);

}  // namespace sluice::sns
