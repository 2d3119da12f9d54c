#include "tests/k8s/apiserver/errors.h"

namespace sluice::test_apiserver {

namespace {

ApiError make(int code, std::string reason, std::string message, Json details = nullptr) {
  return ApiError{code, std::move(reason), std::move(message), std::move(details)};
}

Json resource_details(std::string_view group, std::string_view plural, std::string_view name) {
  Json d = Json::object();
  if (!name.empty()) d["name"] = name;
  if (!group.empty()) d["group"] = group;
  d["kind"] = plural;
  return d;
}

}  // namespace

Json status_json(const ApiError& e) {
  Json s = {{"kind", "Status"},    {"apiVersion", "v1"},   {"metadata", Json::object()},
            {"status", "Failure"}, {"message", e.message}, {"reason", e.reason},
            {"code", e.code}};
  if (!e.details.is_null()) s["details"] = e.details;
  return s;
}

ApiError bad_request(std::string message) { return make(400, "BadRequest", std::move(message)); }

ApiError not_found(std::string_view resource, std::string_view group, std::string_view plural, std::string_view name) {
  return make(404, "NotFound", std::string(resource) + " \"" + std::string(name) + "\" not found",
              resource_details(group, plural, name));
}

ApiError already_exists(std::string_view resource, std::string_view group, std::string_view plural,
                        std::string_view name) {
  return make(409, "AlreadyExists", std::string(resource) + " \"" + std::string(name) + "\" already exists",
              resource_details(group, plural, name));
}

ApiError conflict(std::string_view resource, std::string_view group, std::string_view plural, std::string_view name,
                  std::string_view why) {
  return make(409, "Conflict",
              "Operation cannot be fulfilled on " + std::string(resource) + " \"" + std::string(name) +
                  "\": " + std::string(why),
              resource_details(group, plural, name));
}

ApiError stale_object(std::string_view resource, std::string_view group, std::string_view plural,
                      std::string_view name) {
  return conflict(resource, group, plural, name,
                  "the object has been modified; please apply your changes to the latest version and "
                  "try again");
}

ApiError invalid(std::string_view group_kind, std::string_view group, std::string_view kind, std::string_view name,
                 const std::vector<FieldError>& errors) {
  std::string msg = std::string(group_kind) + " \"" + std::string(name) + "\" is invalid: ";
  Json causes = Json::array();
  if (errors.size() == 1) {
    msg += errors[0].text();
  } else {
    msg += "[";
    for (size_t i = 0; i < errors.size(); ++i) msg += (i ? ", " : "") + errors[i].text();
    msg += "]";
  }
  for (const auto& e : errors) {
    causes.push_back({{"reason", e.reason}, {"message", e.message}, {"field", e.field}});
  }
  Json d = resource_details(group, kind, name);
  d["causes"] = causes;
  return make(422, "Invalid", std::move(msg), std::move(d));
}

ApiError forbidden(std::string message) { return make(403, "Forbidden", std::move(message)); }
ApiError unauthorized() { return make(401, "Unauthorized", "Unauthorized"); }
ApiError method_not_allowed(std::string message) {
  if (message.empty()) message = "the server does not allow this method on the requested resource";
  return make(405, "MethodNotAllowed", std::move(message));
}
ApiError unsupported_media_type(std::string message) { return make(415, "UnsupportedMediaType", std::move(message)); }
ApiError not_acceptable(std::string message) { return make(406, "NotAcceptable", std::move(message)); }
ApiError not_implemented(std::string message) { return make(501, "NotImplemented", std::move(message)); }
ApiError gone_expired(std::string message) { return make(410, "Expired", std::move(message)); }
ApiError timeout(std::string message) { return make(504, "Timeout", std::move(message)); }
ApiError internal_error(std::string message) { return make(500, "InternalError", std::move(message)); }

std::string printable_value(const Json& v) {
  if (v.is_object()) return "\"object\"";
  if (v.is_array()) return "\"array\"";
  return v.dump();
}

FieldError field_invalid(std::string field, const Json& value, std::string_view detail) {
  std::string m = "Invalid value: " + printable_value(value);
  if (!detail.empty()) m += ": " + std::string(detail);
  return {"FieldValueInvalid", std::move(field), std::move(m)};
}

FieldError field_required(std::string field, std::string_view detail) {
  std::string m = "Required value";
  if (!detail.empty()) m += ": " + std::string(detail);
  return {"FieldValueRequired", std::move(field), std::move(m)};
}

FieldError field_not_supported(std::string field, const Json& value, const std::vector<Json>& allowed) {
  std::string m = "Unsupported value: " + value.dump();
  if (!allowed.empty()) {
    m += ": supported values: ";
    for (size_t i = 0; i < allowed.size(); ++i) m += (i ? ", " : "") + allowed[i].dump();
  }
  return {"FieldValueNotSupported", std::move(field), std::move(m)};
}

FieldError field_forbidden(std::string field, std::string_view detail) {
  return {"FieldValueForbidden", std::move(field), "Forbidden: " + std::string(detail)};
}

FieldError field_duplicate(std::string field, const Json& value) {
  return {"FieldValueDuplicate", std::move(field), "Duplicate value: " + value.dump()};
}

FieldError field_too_long(std::string field, long long max) {
  return {"FieldValueTooLong", std::move(field), "Too long: may not be more than " + std::to_string(max) + " bytes"};
}

FieldError field_too_many(std::string field, long long actual, long long max) {
  return {"FieldValueTooMany", std::move(field),
          "Too many: " + std::to_string(actual) + ": must have at most " + std::to_string(max) + " items"};
}

FieldError field_type_invalid(std::string field, const Json& value, std::string_view detail) {
  return {"FieldValueTypeInvalid", std::move(field),
          "Invalid value: \"" + std::string(json_type_name(value)) + "\": " + std::string(detail)};
}

}  // namespace sluice::test_apiserver
