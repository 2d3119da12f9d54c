#pragma once
// The one place where the stream engine's errors (and the Kinesis handlers')
// become AWS errors: a row per engine error code and parameter (error_map.cc),
// naming the model's exception shape. Kinesis words its messages itself; the
// engine's message goes out as it is, except for the validation errors, which
// take AWS's "1 validation error detected: ..." form. Tested as a table in
// tests/error_map_test.cc.

#include "runtime/common/error.h"
#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"

namespace sluice::kinesis {

protocol::AwsError to_aws_error(const protocol::ServiceModel& model, const Error& error);
std::string_view error_shape(const Error& error);

}  // namespace sluice::kinesis
