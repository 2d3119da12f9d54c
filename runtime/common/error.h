#pragma once
// What an engine refuses, in the engine's words: what happened (errc), to which
// argument (field, spelled as the API names it), the value given, and why.
// Engines never write wire errors; each service front end turns an Error into
// its AWS error in one table (sidecar/<service>/error_map.cc), so that the same
// errc can be SQS's QueueDoesNotExist and Kinesis's ResourceNotFoundException.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/common/result.h"

namespace sluice {

enum class errc : uint8_t {
  not_found,         // what `field` names does not exist
  already_exists,    // what `field` names exists already, with other settings
  invalid_argument,  // `field` is malformed or out of range
  missing_argument,  // `field` is required and absent
  too_large,         // `field` is over a size limit
  limit_exceeded,    // a count limit: entries, tags, messages in flight, resources
  state_conflict,    // the current state forbids it: deleted recently, in progress, not in flight
  throttled,         // over a rate; the caller may retry later
  expired,           // `field` (a token, an iterator) is too old
  unsupported,       // Sluice does not do this
  storage_failure,   // the store failed; nothing was applied
};

std::string_view to_string(errc code);
std::ostream& operator<<(std::ostream& out, errc code);

struct Error {
  errc code = errc::storage_failure;
  std::string field;                 // e.g. "VisibilityTimeout", "Attributes.DelaySeconds"; "" for none
  std::string message;               // why, as a sentence
  std::optional<std::string> value;  // the value refused, when there was one
};

inline Failure<Error> fail(errc code, std::string field, std::string message) {
  return Failure<Error>{Error{code, std::move(field), std::move(message), std::nullopt}};
}

// An argument whose value is refused, with the value, for messages that quote it.
inline Failure<Error> invalid(std::string field, std::string value, std::string reason) {
  return Failure<Error>{Error{errc::invalid_argument, std::move(field), std::move(reason), std::move(value)}};
}

inline Failure<Error> missing(std::string field) {
  return Failure<Error>{
      Error{errc::missing_argument, field, "The request must contain the parameter " + field + ".", std::nullopt}};
}

}  // namespace sluice
