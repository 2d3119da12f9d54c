#include "sidecar/protocol/json_checks.h"

namespace sluice::protocol {
namespace {

using json = nlohmann::json;
using Type = Shape::Type;

AwsError serialization_error(const std::string& path, const char* expected) {
  return framework_error("SerializationException", 400, "Value for " + path + " must be " + expected + ".");
}

}  // namespace

std::optional<std::string> check_required(const Shape& shape, const json& value) {
  if (shape.type == Type::structure) {
    for (const auto& name : shape.required) {
      auto it = value.find(name);
      if (it == value.end() || it->is_null()) return name;
    }
    for (const auto& [name, ref] : shape.members) {
      auto it = value.find(name);
      if (it == value.end() || it->is_null()) continue;
      if (auto e = check_required(*ref.shape, *it)) return e;
    }
  } else if (shape.type == Type::list && value.is_array()) {
    for (const auto& element : value)
      if (auto e = check_required(*shape.member.shape, element)) return e;
  } else if (shape.type == Type::map && value.is_object()) {
    for (const auto& [k, v] : value.items())
      if (auto e = check_required(*shape.value.shape, v)) return e;
  }
  return std::nullopt;
}

std::optional<AwsError> check_types(const Shape& shape, const json& value, const std::string& path) {
  const std::string here = path.empty() ? shape.name : path;
  if (value.is_null()) return std::nullopt;
  switch (shape.type) {
    case Type::structure:
      if (!value.is_object()) return serialization_error(here, "an object");
      for (const auto& [name, ref] : shape.members) {
        auto it = value.find(name);
        if (it == value.end()) continue;
        if (auto e = check_types(*ref.shape, *it, path.empty() ? name : path + "." + name)) return e;
      }
      return std::nullopt;
    case Type::list:
      if (!value.is_array()) return serialization_error(here, "a list");
      for (size_t i = 0; i < value.size(); ++i)
        if (auto e = check_types(*shape.member.shape, value[i], here + "." + std::to_string(i + 1))) return e;
      return std::nullopt;
    case Type::map:
      if (!value.is_object()) return serialization_error(here, "a map");
      for (const auto& [k, v] : value.items())
        if (auto e = check_types(*shape.value.shape, v, here + "." + k)) return e;
      return std::nullopt;
    case Type::integer:
    case Type::long_:
      if (!value.is_number_integer()) return serialization_error(here, "an integer");
      return std::nullopt;
    case Type::boolean:
      if (!value.is_boolean()) return serialization_error(here, "a boolean");
      return std::nullopt;
    case Type::double_:
    case Type::float_:
      if (!value.is_number()) return serialization_error(here, "a number");
      return std::nullopt;
    case Type::timestamp:
      if (!value.is_number() && !value.is_string()) return serialization_error(here, "a timestamp");
      return std::nullopt;
    default:
      if (!value.is_string()) return serialization_error(here, "a string");
      return std::nullopt;
  }
}

}  // namespace sluice::protocol
