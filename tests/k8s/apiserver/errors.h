#pragma once
// API errors as Kubernetes reports them: a `Status` object with code, reason,
// message and details. Every failing request ends in one of these.

#include <string>
#include <string_view>
#include <vector>

#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

// One field error (field.Error in Kubernetes): reason is FieldValueInvalid,
// FieldValueRequired, ...; message is what follows "<field>: ".
struct FieldError {
  std::string reason;
  std::string field;
  std::string message;

  std::string text() const { return field.empty() ? message : field + ": " + message; }
};

struct ApiError {
  int code = 500;
  std::string reason;
  std::string message;
  Json details;  // null or {name, group, kind, causes}
};

Json status_json(const ApiError& e);

// `resource` is the group-qualified plural ("queues.sluice.io", "pods").
ApiError bad_request(std::string message);
ApiError not_found(std::string_view resource, std::string_view group, std::string_view plural, std::string_view name);
ApiError already_exists(std::string_view resource, std::string_view group, std::string_view plural,
                        std::string_view name);
ApiError conflict(std::string_view resource, std::string_view group, std::string_view plural, std::string_view name,
                  std::string_view why);
ApiError stale_object(std::string_view resource, std::string_view group, std::string_view plural,
                      std::string_view name);
// `group_kind` is "Queue.sluice.io" or "Deployment.apps".
ApiError invalid(std::string_view group_kind, std::string_view group, std::string_view kind, std::string_view name,
                 const std::vector<FieldError>& errors);
ApiError forbidden(std::string message);
ApiError unauthorized();
ApiError method_not_allowed(std::string message = {});
ApiError unsupported_media_type(std::string message);
ApiError not_acceptable(std::string message);
ApiError not_implemented(std::string message);
ApiError gone_expired(std::string message);
ApiError timeout(std::string message);
ApiError internal_error(std::string message);

// Field error constructors mirroring k8s.io/apimachinery/pkg/util/validation/field.
FieldError field_invalid(std::string field, const Json& value, std::string_view detail);
FieldError field_required(std::string field, std::string_view detail = {});
FieldError field_not_supported(std::string field, const Json& value, const std::vector<Json>& allowed);
FieldError field_forbidden(std::string field, std::string_view detail);
FieldError field_duplicate(std::string field, const Json& value);
FieldError field_too_long(std::string field, long long max);
FieldError field_too_many(std::string field, long long actual, long long max);
FieldError field_type_invalid(std::string field, const Json& value, std::string_view detail);

// How a value is quoted in "Invalid value: X".
std::string printable_value(const Json& v);

}  // namespace sluice::test_apiserver
