#pragma once
// Structural OpenAPI v3 schemas of CustomResourceDefinitions: compiled once at CRD
// registration (refusing keywords and CEL rules the test server cannot honour), then
// used on every write to prune unknown fields, drop nulls, apply defaults and validate,
// in the order the real API server does.

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "runtime/common/result.h"
#include "tests/k8s/apiserver/apply.h"
#include "tests/k8s/apiserver/errors.h"
#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

class CelProgram;

struct CelRule {
  std::string rule;
  std::string message;
  std::string field_path;
  std::string reason;  // FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired, FieldValueDuplicate
  std::shared_ptr<const CelProgram> program;
};

struct Schema {
  std::string type;  // "" (any), object, array, string, integer, number, boolean
  std::string format;
  bool nullable = false;
  bool preserve_unknown_fields = false;
  bool int_or_string = false;
  bool embedded_resource = false;
  std::map<std::string, std::shared_ptr<Schema>> properties;
  std::shared_ptr<Schema> additional_properties;  // map values
  std::shared_ptr<Schema> items;
  std::vector<std::string> required;
  std::optional<Json> default_value;
  std::vector<Json> enum_values;
  std::optional<double> minimum, maximum, multiple_of;
  bool exclusive_minimum = false, exclusive_maximum = false;
  std::optional<long long> min_length, max_length, min_items, max_items, min_properties, max_properties;
  std::optional<std::regex> pattern;
  std::string pattern_text;
  bool unique_items = false;
  std::string list_type;  // atomic, set, map
  std::vector<std::string> list_map_keys;
  std::vector<std::shared_ptr<Schema>> all_of, any_of, one_of;
  std::shared_ptr<Schema> not_schema;
  std::vector<CelRule> rules;
};

struct SchemaError {
  bool unsupported = false;  // the test server cannot honour it (400) vs. an invalid schema (422)
  FieldError error;
};

// `base` names the schema in errors ("spec.versions[0].schema.openAPIV3Schema").
Result<std::shared_ptr<const Schema>, SchemaError> compile_schema(const Json& openapi, const std::string& base);

struct ValidationResult {
  std::vector<std::string> unknown_fields;  // "spec.foo"; already pruned from the object
  std::vector<FieldError> errors;
};

// Validates a whole custom resource (apiVersion/kind/metadata are implicit at the root).
// `old` is the stored object on updates (enables transition rules using oldSelf).
ValidationResult validate_custom_resource(const Schema& root, Json& object, const Json* old);

// List semantics (x-kubernetes-list-type / list-map-keys) for server-side apply.
ListSemanticsLookup schema_list_semantics(std::shared_ptr<const Schema> root);

}  // namespace sluice::test_apiserver
