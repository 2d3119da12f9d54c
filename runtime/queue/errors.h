#pragma once
// Everything the queue engine can refuse, as one enum. The sidecar maps each
// value to its AWS error code and HTTP status in exactly one place
// (sidecar/sqs/error_map.cc), tested as a table.

#include <string>

#include "runtime/common/result.h"

namespace sluice::queue {

enum class errc {
  queue_does_not_exist,
  queue_name_exists,
  queue_deleted_recently,
  invalid_attribute_name,
  invalid_attribute_value,
  invalid_parameter_value,
  missing_parameter,
  invalid_message_contents,
  receipt_handle_is_invalid,
  message_not_inflight,
  purge_queue_in_progress,
  over_limit,
  too_many_entries_in_batch_request,
  empty_batch_request,
  batch_entry_ids_not_distinct,
  invalid_batch_entry_id,
  batch_request_too_long,
  resource_not_found,
  unsupported_operation,
  internal_error,
};

struct Error {
  errc code = errc::internal_error;
  std::string message;
};

template <class T>
using Result = sluice::Result<T, Error>;
using Status = sluice::Status<Error>;

inline Failure<Error> fail(errc code, std::string message) {
  return Failure<Error>{Error{code, std::move(message)}};
}

}  // namespace sluice::queue
