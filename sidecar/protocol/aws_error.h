#pragma once
// An error as AWS reports it, independent of the wire protocol that carries it.
// `type` is the model's exception shape name (the JSON `__type` suffix); `code`
// is the query-protocol code (the XML <Code>, the x-amzn-query-error header).

#include <string>

namespace sluice::protocol {

struct AwsError {
  std::string type;  // e.g. QueueDoesNotExist
  std::string code;  // e.g. AWS.SimpleQueueService.NonExistentQueue
  int status = 400;
  bool sender = true;  // caller's fault (Sender) or the service's (Receiver)
  std::string message;
  // An error of the request framework rather than the service (unknown
  // operation, malformed body): the JSON protocol names it in the framework's
  // namespace, not the service's.
  bool framework = false;
};

inline AwsError framework_error(std::string type, int status, std::string message) {
  AwsError e{type, type, status, true, std::move(message), true};
  return e;
}

// Errors every AWS query/JSON service shares (the "Common Errors" pages).
inline AwsError invalid_parameter_value(std::string message) {
  return {"InvalidParameterValue", "InvalidParameterValue", 400, true, std::move(message)};
}
inline AwsError missing_parameter(const std::string& name) {
  return {"MissingParameter", "MissingParameter", 400, true, "The request must contain the parameter " + name + "."};
}
inline AwsError internal_error(std::string message) {
  return {"InternalFailure", "InternalFailure", 500, false, std::move(message)};
}

}  // namespace sluice::protocol
