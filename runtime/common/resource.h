#pragma once
// Resource kinds: Queue, and next Topic, Subscription, Stream, DeliveryStream,
// Broker; WorkerAutoscaler on the operator's side. A kind declares its fields
// once, in a KindDef: name, type, bounds, enum values, default, immutability and
// doc of every spec field, the rules between fields (each as CEL for the API
// server and as a C++ check for everyone else), the status fields, the printer
// columns, and which other resources it refers to. Everything else is derived
// from it: the CRD (tools/crdgen), the reference page, the strict validation the
// sidecar's manifest loader and admin API and the operator's reconciler apply
// to a spec, and the order a set of manifests is applied in.
//
// Specs are JSON trees (nlohmann::json): the admin API and the operator have
// JSON already, and manifests are converted from YAML at the edge
// (sidecar/manifests/yaml_json.h). This header is a small target of its own
// (sluice::resource) that the operator links without any engine or store.

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::resource {

using json = nlohmann::json;

// A rule between fields of one object. `cel` is checked by the API server on
// the object the rule is attached to (x-kubernetes-validations); `holds` checks
// the same thing in C++ on that object (for rules on the spec: the spec, with
// the resource's metadata.name).
struct Rule {
  std::string cel;
  std::string message;
  std::string field;  // the field an error names (relative to the object), "" for the object itself
  std::function<bool(const json& self, std::string_view name)> holds;
};

struct Field {
  enum class Type : uint8_t { integer, number, boolean, string, object, list, map };

  std::string name;
  Type type = Type::string;
  std::string doc;
  std::optional<int64_t> min, max;  // integer bounds; for strings, lists and maps: sizes
  std::vector<std::string> values;  // enumeration (strings)
  std::optional<json> default_value;
  std::string pattern;  // strings: an ECMAScript regular expression
  std::string format;   // strings: an OpenAPI format the API server checks (date-time)
  bool required = false;
  bool immutable = false;          // may not change once set (CEL self == oldSelf)
  bool exclusive_minimum = false;  // numbers: min itself is out of range
  std::vector<Field> fields;       // objects: their members
  bool free_form = false;          // objects: any members (a JSON document such as a policy), kept as given
  std::vector<Field> items;        // lists: one element, their items; maps: one element, their values
  std::vector<Rule> rules;         // objects: rules between their members
};

using Fields = std::vector<Field>;

// A column of `kubectl get`.
struct Column {
  std::string name, type, json_path, description;
  int priority = 0;  // 1: shown with -o wide only
};

// Another resource this one needs first, in the same namespace (a dead-letter
// queue; later a Subscription's topic, a DeliveryStream's source stream). `name`
// is either the other resource's metadata.name or its engine name.
struct Reference {
  std::string kind;
  std::string name;
  std::string field;  // the spec field that names it, for errors
};

struct SpecError {
  std::string field;  // "spec.redrivePolicy.maxReceiveCount"
  std::string message;
  std::string str() const { return field + ": " + message; }
};

struct KindDef {
  std::string kind;      // Queue
  std::string plural;    // queues
  std::string singular;  // queue
  std::vector<std::string> short_names;
  std::string description;
  Fields spec;
  // Rules between top-level spec fields: CEL on the spec object (self is the spec).
  std::vector<Rule> spec_rules;
  // Rules that need metadata.name: CEL at the object's root (self.spec, self.metadata.name).
  // Their `holds` gets the spec and the name, as spec rules do.
  std::vector<Rule> root_rules;
  Fields status;               // besides observedGeneration and conditions, which every kind has
  std::string conditions_doc;  // what the conditions say
  std::vector<Column> columns;
  // Served by the sidecar's engines (false: acted on by the operator itself, like WorkerAutoscaler).
  bool hosted = true;
  // The name the engine knows a resource by: spec.<name_field> when set, else metadata.name.
  std::string name_field;
  // The status field that tells a user where the resource is (queueUrl, topicArn).
  std::string address_field;
  // The resources a spec refers to (none when empty).
  std::function<std::vector<Reference>(const json& spec, std::string_view name)> references;

  std::string engine_name(const json& spec, std::string_view name) const;
};

inline constexpr const char* kGroup = "sluice.io";
inline constexpr const char* kVersion = "v1alpha1";
inline constexpr const char* kApiVersion = "sluice.io/v1alpha1";

// Checks `spec` against the kind's fields and rules, as strictly as the CRD's
// structural schema: types, bounds, enum values, patterns, required fields,
// unknown fields, rules. An empty result means the spec is valid.
std::vector<SpecError> validate(const KindDef& kind, const json& spec, std::string_view name);

const Field* find_field(const Fields& fields, std::string_view name);

// The string an AWS attribute map holds for a spec value: strings as they are,
// booleans as true/false, numbers and objects (policies) as JSON text.
std::string wire_text(const json& value);

// The fields every hosted kind has: `tags` (a string map of at most `max`
// entries) and `deletionPolicy` (Delete or Retain, with `doc` saying what each does).
Field tags_field(std::string doc, int64_t max);
Field deletion_policy_field(std::string doc);

// One message from a list of errors: "spec.a: ...; spec.b: ...".
std::string describe(const std::vector<SpecError>& errors);

}  // namespace sluice::resource
