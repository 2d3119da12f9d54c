#pragma once
// The one place where queue engine errors become AWS errors: the model's
// exception shape for each errc gives the JSON type, the query code and the
// HTTP status. Tested as a table in tests/error_map_test.cc.

#include "runtime/queue/errors.h"
#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"

namespace sluice::sqs {

protocol::AwsError to_aws_error(const protocol::ServiceModel& model, const queue::Error& error);

}  // namespace sluice::sqs
