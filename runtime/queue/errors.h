#pragma once
// The queue engine's results. Every refusal is a sluice::Error (runtime/common/error.h):
// what happened and to which SQS parameter; sidecar/sqs/error_map.cc turns it into
// the AWS error, in one table.

#include "runtime/common/error.h"

namespace sluice::queue {

using sluice::errc;
using sluice::Error;
using sluice::fail;
using sluice::invalid;
using sluice::missing;

template <class T>
using Result = sluice::Result<T, Error>;
using Status = sluice::Status<Error>;

// The queue a request names does not exist (`field` is how it was named).
inline Failure<Error> no_such_queue(std::string field = "QueueUrl") {
  return fail(errc::not_found, std::move(field), "The specified queue does not exist.");
}

inline Failure<Error> storage_failed(std::string what) {
  return fail(errc::storage_failure, "", std::move(what) + " could not be stored.");
}

inline Failure<Error> storage_unreadable(std::string what) {
  return fail(errc::storage_failure, "", std::move(what) + " could not be read; nothing was lost, try again.");
}

}  // namespace sluice::queue
