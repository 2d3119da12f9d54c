#include "tools/crdgen/crd_writer.h"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <sstream>

namespace sluice::crdgen {
namespace {

using resource::Field;
using Type = Field::Type;

const char* openapi_type(Type t) {
  switch (t) {
    case Type::integer:
      return "integer";
    case Type::number:
      return "number";
    case Type::boolean:
      return "boolean";
    case Type::string:
      return "string";
    case Type::list:
      return "array";
    case Type::object:
    case Type::map:
      return "object";
  }
  return "string";
}

ojson rule(const std::string& cel, const std::string& message) { return {{"rule", cel}, {"message", message}}; }

ojson schema(const Field& f) {
  ojson s;
  s["type"] = openapi_type(f.type);
  if (!f.format.empty()) s["format"] = f.format;
  switch (f.type) {
    case Type::integer:
    case Type::number:
      if (f.min) s["minimum"] = *f.min;
      if (f.exclusive_minimum) s["exclusiveMinimum"] = true;
      if (f.max) s["maximum"] = *f.max;
      break;
    case Type::string:
      if (f.min) s["minLength"] = *f.min;
      if (f.max) s["maxLength"] = *f.max;
      if (!f.pattern.empty()) s["pattern"] = f.pattern;
      if (!f.values.empty()) s["enum"] = f.values;
      break;
    case Type::list:
      if (f.min) s["minItems"] = *f.min;
      if (f.max) s["maxItems"] = *f.max;
      if (!f.items.empty()) s["items"] = schema(f.items[0]);
      break;
    case Type::map:
      if (f.max) s["maxProperties"] = *f.max;
      if (!f.items.empty()) s["additionalProperties"] = schema(f.items[0]);
      break;
    case Type::object: {
      ojson required = ojson::array(), properties = ojson::object();
      for (const auto& m : f.fields) {
        if (m.required) required.push_back(m.name);
        properties[m.name] = schema(m);
      }
      if (!required.empty()) s["required"] = required;
      if (f.free_form) s["x-kubernetes-preserve-unknown-fields"] = true;
      else s["properties"] = properties;
      break;
    }
    case Type::boolean:
      break;
  }
  if (f.default_value) s["default"] = *f.default_value;
  ojson rules = ojson::array();
  for (const auto& r : f.rules) rules.push_back(rule(r.cel, r.message));
  if (f.immutable) rules.push_back(rule("self == oldSelf", f.name + " is immutable"));
  if (!rules.empty()) s["x-kubernetes-validations"] = rules;
  if (!f.doc.empty()) s["description"] = f.doc;
  return s;
}

// Conditions as every Kubernetes API uses them (metav1.Condition).
ojson conditions(const std::string& doc) {
  Field c{"conditions", Type::list, doc.empty() ? "Ready, with the reason when it is not." : doc};
  Field item{"", Type::object, ""};
  Field status{"status", Type::string, "True, False or Unknown."};
  status.values = {"True", "False", "Unknown"};
  Field time{"lastTransitionTime", Type::string, "When status last changed."};
  time.format = "date-time";
  item.fields = {Field{"type", Type::string, "Condition type, e.g. Ready."},
                 status,
                 Field{"observedGeneration", Type::integer, "The generation the condition describes.", 0},
                 time,
                 Field{"reason", Type::string, "CamelCase reason for the condition's last transition."},
                 Field{"message", Type::string, "Human-readable details."}};
  for (auto& m : item.fields) m.required = m.name != "observedGeneration";
  c.items = {item};
  ojson s = schema(c);
  s["x-kubernetes-list-type"] = "map";
  s["x-kubernetes-list-map-keys"] = {"type"};
  return s;
}

ojson column(const resource::Column& c) {
  ojson out = {{"name", c.name}, {"type", c.type}, {"jsonPath", c.json_path}, {"description", c.description}};
  if (c.priority) out["priority"] = c.priority;
  return out;
}

ojson columns(const resource::KindDef& k) {
  auto has = [&](const char* name) {
    for (const auto& c : k.columns)
      if (c.name == name) return true;
    return false;
  };
  ojson out = ojson::array();
  if (!has("Ready"))
    out.push_back(column({"Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Ready condition"}));
  for (const auto& c : k.columns)
    if (!c.priority) out.push_back(column(c));
  if (!has("Age")) out.push_back(column({"Age", "date", ".metadata.creationTimestamp", "Age"}));
  for (const auto& c : k.columns)
    if (c.priority) out.push_back(column(c));
  if (k.hosted) out.push_back(column({"Runtime", "string", ".status.placement.runtime", "Runtime pod hosting it", 1}));
  return out;
}

ojson status_schema(const resource::KindDef& k) {
  Field status{"status", Type::object, ""};
  status.fields.push_back(
      Field{"observedGeneration", Type::integer, "The generation of the spec the status describes.", 0});
  for (const auto& f : k.status) status.fields.push_back(f);
  if (k.hosted) {
    Field placement{"placement", Type::object, "Where the resource is served."};
    placement.fields = {Field{"runtime", Type::string, "The runtime pod hosting it."},
                        Field{"endpoint", Type::string, "The runtime's AWS endpoint."}};
    status.fields.push_back(placement);
  }
  ojson s = schema(status);
  s.erase("description");
  s["properties"]["conditions"] = conditions(k.conditions_doc);
  return s;
}

// JSON as YAML. Strings a YAML reader would take for something else are quoted.
void emit(YAML::Emitter& out, const ojson& v) {
  static const std::regex kAmbiguous("^(true|false|True|False|yes|no|on|off|null|~|[-+]?[0-9.]+|)$");
  if (v.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [k, x] : v.items()) {
      out << YAML::Key << k << YAML::Value;
      emit(out, x);
    }
    out << YAML::EndMap;
  } else if (v.is_array()) {
    const bool scalars = std::all_of(v.begin(), v.end(), [](const ojson& x) { return x.is_primitive(); });
    if (scalars) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const auto& x : v) emit(out, x);
    out << YAML::EndSeq;
  } else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (std::regex_match(s, kAmbiguous)) out << YAML::DoubleQuoted;
    out << s;
  } else if (v.is_boolean()) {
    out << v.get<bool>();
  } else if (v.is_number_integer()) {
    out << v.get<int64_t>();
  } else if (v.is_number()) {
    out << v.get<double>();
  } else {
    out << YAML::Null;
  }
}

std::string type_text(const Field& f) {
  switch (f.type) {
    case Type::integer:
      return "integer";
    case Type::number:
      return "number";
    case Type::boolean:
      return "boolean";
    case Type::string:
      return "string";
    case Type::object:
      return "object";
    case Type::list:
      return "list of " + (f.items.empty() ? std::string("values") : type_text(f.items[0]) + "s");
    case Type::map:
      return "map of " + (f.items.empty() ? std::string("values") : type_text(f.items[0]) + "s");
  }
  return "";
}

std::string values_text(const Field& f) {
  std::string v;
  for (const auto& e : f.values) v += (v.empty() ? "" : ", ") + e;
  auto bound = [](int64_t n) { return std::to_string(n); };
  if (f.type == Type::integer || f.type == Type::number) {
    if (f.min && f.max) v = bound(*f.min) + " – " + bound(*f.max);
    else if (f.min) v = (f.exclusive_minimum ? "> " : "≥ ") + bound(*f.min);
    else if (f.max) v = "≤ " + bound(*f.max);
  }
  if ((f.type == Type::string) && f.max)
    v += (v.empty() ? "" : ", ") + std::string("≤ ") + bound(*f.max) + " characters";
  if ((f.type == Type::list || f.type == Type::map) && f.max)
    v += (v.empty() ? "" : ", ") + std::string("≤ ") + bound(*f.max);
  if ((f.type == Type::list) && f.min) v += (v.empty() ? "" : ", ") + std::string("≥ ") + bound(*f.min);
  if (!f.pattern.empty()) v += (v.empty() ? "" : ", ") + std::string("`") + f.pattern + "`";
  return v;
}

// A Markdown table cell: '|' would end it.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void rows(std::ostream& out, const resource::Fields& fields, const std::string& prefix,
          std::vector<std::string>& rules) {
  for (const auto& f : fields) {
    const std::string name = prefix + (f.name.empty() ? "[]" : f.name);
    std::string def = "—";
    if (f.default_value)
      def = f.default_value->is_string() ? f.default_value->get<std::string>() : f.default_value->dump();
    std::string doc = f.doc;
    if (f.required) doc += " Required.";
    if (f.immutable) doc += " Immutable.";
    out << "| `" << name << "` | " << type_text(f) << " | " << cell(values_text(f)) << " | " << cell(def) << " | "
        << cell(doc) << " |\n";
    for (const auto& r : f.rules) rules.push_back("`" + name + "`: " + r.message);
    if (f.type == Type::object) rows(out, f.fields, name + ".", rules);
    if (f.type == Type::list && !f.items.empty() && f.items[0].type == Type::object)
      rows(out, f.items[0].fields, name + "[].", rules);
  }
}

}  // namespace

ojson crd(const resource::KindDef& k) {
  ojson names = {{"kind", k.kind}, {"listKind", k.kind + "List"}, {"plural", k.plural}, {"singular", k.singular}};
  if (!k.short_names.empty()) names["shortNames"] = k.short_names;
  names["categories"] = {"sluice"};
  Field spec{"spec", Type::object, ""};
  spec.fields = k.spec;
  spec.rules = k.spec_rules;
  ojson spec_schema = schema(spec);
  spec_schema.erase("description");
  ojson root = {{"type", "object"}, {"description", k.description}};
  ojson root_rules = ojson::array();
  for (const auto& r : k.root_rules) root_rules.push_back(rule(r.cel, r.message));
  if (!root_rules.empty()) root["x-kubernetes-validations"] = root_rules;
  // The only metadata a CRD schema may describe is name/generateName; naming it
  // lets root-level rules read self.metadata.name.
  root["properties"] = {{"apiVersion", {{"type", "string"}}},
                        {"kind", {{"type", "string"}}},
                        {"metadata", {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}}},
                        {"spec", spec_schema},
                        {"status", status_schema(k)}};
  ojson version = {{"name", resource::kVersion},
                   {"served", true},
                   {"storage", true},
                   {"subresources", {{"status", ojson::object()}}},
                   {"additionalPrinterColumns", columns(k)},
                   {"schema", {{"openAPIV3Schema", root}}}};
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata",
           {{"name", k.plural + "." + resource::kGroup}, {"labels", {{"app.kubernetes.io/part-of", "sluice"}}}}},
          {"spec",
           {{"group", resource::kGroup},
            {"scope", "Namespaced"},
            {"names", names},
            {"versions", ojson::array({version})}}}};
}

std::string crd_yaml(const resource::KindDef& k) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, crd(k));
  return "# Generated by sluice-crdgen crd " + k.plural + " from the kind's field table; do not edit.\n" +
         std::string(out.c_str()) + "\n";
}

std::string reference_doc(const resource::KindDef& k) {
  std::ostringstream out;
  out << "# The " << k.kind << " resource\n\n"
      << "`apiVersion: " << resource::kApiVersion << "`, `kind: " << k.kind << "`, namespaced";
  if (!k.short_names.empty()) out << " (short name `" << k.short_names[0] << "`)";
  out << ". " << k.description << "\n\n";
  if (k.hosted)
    out << "The same manifest works with `kubectl apply` (through the operator) and with `sluice-sidecar "
           "--manifests DIR` (standalone). ";
  out << "Generated by `sluice-crdgen doc " << k.plural << "` from the kind's field table; the CRD (`crds/" << k.plural
      << ".sluice.io.yaml`) comes from the same table, so the two cannot disagree.\n\n"
      << "| spec field | type | values | default | meaning |\n|---|---|---|---|---|\n";
  std::vector<std::string> rules;
  rows(out, k.spec, "", rules);
  for (const auto& r : k.spec_rules) rules.push_back(r.message);
  for (const auto& r : k.root_rules) rules.push_back(r.message);
  if (!rules.empty()) {
    out << "\nRules between fields, checked by the API server (CEL) and by Sluice alike:\n\n";
    for (const auto& r : rules) out << "- " << r << "\n";
  }
  out << "\n## Status\n\n| field | type | meaning |\n|---|---|---|\n"
      << "| `observedGeneration` | integer | The generation of the spec the status describes. |\n"
      << "| `conditions` | list | "
      << (k.conditions_doc.empty() ? "Ready, with the reason when it is not." : k.conditions_doc)
      << " Each carries `observedGeneration`. |\n";
  for (const auto& f : k.status) out << "| `" << f.name << "` | " << type_text(f) << " | " << f.doc << " |\n";
  if (k.hosted)
    out << "| `placement.runtime`, `placement.endpoint` | string | The runtime pod that serves it, and its AWS "
           "endpoint. |\n";
  return out.str();
}

}  // namespace sluice::crdgen
