#pragma once
// The one place where SQS's engine errors become AWS errors. An engine error says
// what happened (errc) and to which parameter (field); the table in
// error_map.cc picks the model's exception shape for each pair, and the shape
// gives the JSON type, the query code and the HTTP status. Tested as a table in
// tests/error_map_test.cc.

#include "runtime/common/error.h"
#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"

namespace sluice::sqs {

protocol::AwsError to_aws_error(const protocol::ServiceModel& model, const Error& error);

// The shape (or common error) an engine error maps to: the table's answer alone.
std::string_view error_shape(const Error& error);

}  // namespace sluice::sqs
