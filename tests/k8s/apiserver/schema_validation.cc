#include "tests/k8s/apiserver/schema_validation.h"

#include <cmath>
#include <set>

#include "tests/k8s/apiserver/cel.h"

namespace sluice::test_apiserver {

namespace {

const std::set<std::string>& known_keywords() {
  static const std::set<std::string> k = {"type",
                                          "format",
                                          "title",
                                          "description",
                                          "default",
                                          "enum",
                                          "maximum",
                                          "minimum",
                                          "exclusiveMaximum",
                                          "exclusiveMinimum",
                                          "multipleOf",
                                          "maxLength",
                                          "minLength",
                                          "pattern",
                                          "maxItems",
                                          "minItems",
                                          "uniqueItems",
                                          "maxProperties",
                                          "minProperties",
                                          "required",
                                          "items",
                                          "properties",
                                          "additionalProperties",
                                          "allOf",
                                          "anyOf",
                                          "oneOf",
                                          "not",
                                          "nullable",
                                          "example",
                                          "externalDocs",
                                          "x-kubernetes-preserve-unknown-fields",
                                          "x-kubernetes-int-or-string",
                                          "x-kubernetes-embedded-resource",
                                          "x-kubernetes-list-type",
                                          "x-kubernetes-list-map-keys",
                                          "x-kubernetes-map-type",
                                          "x-kubernetes-validations"};
  return k;
}

std::string num(double d) {
  if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
  Json j = d;
  return j.dump();
}

std::string child(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

// Code points, as Kubernetes counts string length.
long long utf8_length(const std::string& s) {
  long long n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

bool matches_type(const Schema& s, Json& v) {
  if (s.int_or_string) return v.is_number_integer() || v.is_number_unsigned() || v.is_string();
  if (s.type.empty()) return true;
  if (s.type == "object") return v.is_object();
  if (s.type == "array") return v.is_array();
  if (s.type == "string") return v.is_string();
  if (s.type == "boolean") return v.is_boolean();
  if (s.type == "number") return v.is_number();
  if (s.type == "integer") {
    if (v.is_number_integer() || v.is_number_unsigned()) return true;
    if (v.is_number_float()) {
      double d = v.get<double>();
      if (std::floor(d) == d && std::fabs(d) < 9.2e18) {
        v = static_cast<long long>(d);
        return true;
      }
    }
    return false;
  }
  return false;
}

struct Validator {
  ValidationResult& out;
  bool prune = true;  // false inside allOf/anyOf/oneOf/not: value checks only

  void error(FieldError e) { out.errors.push_back(std::move(e)); }

  void walk(const Schema& s, Json& v, const std::string& path, const Json* old, bool root) {
    if (!matches_type(s, v)) {
      std::string want = s.int_or_string ? "integer,string" : s.type;
      error(field_type_invalid(path, v, path + " in body must be of type " + want + ": \"" + json_type_name(v) + "\""));
      return;
    }
    if (v.is_object()) walk_object(s, v, path, old, root);
    if (v.is_array()) walk_array(s, v, path, old);
    if (v.is_string()) check_string(s, v, path);
    if (v.is_number()) check_number(s, v, path);
    if (!s.enum_values.empty()) {
      bool found = false;
      for (const auto& e : s.enum_values) found |= e == v;
      if (!found) error(field_not_supported(path, v, s.enum_values));
    }
    check_combinators(s, v, path);
    check_rules(s, v, path, old);
  }

  void walk_object(const Schema& s, Json& v, const std::string& path, const Json* old, bool root) {
    bool typed = !s.properties.empty() || s.additional_properties || !s.preserve_unknown_fields;
    std::vector<std::string> drop;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& key = it.key();
      if ((root || s.embedded_resource) && (key == "apiVersion" || key == "kind" || key == "metadata")) continue;
      std::string p = s.additional_properties && !s.properties.count(key) ? path + "[" + key + "]" : child(path, key);
      const Schema* cs = nullptr;
      if (auto pit = s.properties.find(key); pit != s.properties.end()) cs = pit->second.get();
      else if (s.additional_properties) cs = s.additional_properties.get();
      if (!cs) {
        if (s.preserve_unknown_fields || !typed) continue;
        if (prune) {
          out.unknown_fields.push_back(p);
          drop.push_back(key);
        }
        continue;
      }
      if (it.value().is_null()) {
        if (!cs->nullable && prune) drop.push_back(key);  // nulls are pruned before defaulting
        continue;
      }
      const Json* old_child = old ? find(*old, key) : nullptr;
      walk(*cs, it.value(), p, old_child, false);
    }
    for (const auto& k : drop) v.erase(k);
    if (prune) {
      for (const auto& [key, cs] : s.properties) {
        if (cs->default_value && !v.contains(key)) {
          v[key] = *cs->default_value;
          walk(*cs, v[key], child(path, key), nullptr, false);
        }
      }
    }
    for (const auto& r : s.required) {
      if (!v.contains(r)) error(field_required(child(path, r)));
    }
    long long n = static_cast<long long>(v.size());
    if (s.max_properties && n > *s.max_properties) error(field_too_many(path, n, *s.max_properties));
    if (s.min_properties && n < *s.min_properties) {
      error(field_invalid(path, v,
                          path + " in body should have at least " + std::to_string(*s.min_properties) + " properties"));
    }
  }

  void walk_array(const Schema& s, Json& v, const std::string& path, const Json* old) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (!s.items) break;
      // Old items correlate only for map lists, as in Kubernetes.
      const Json* old_item = nullptr;
      if (old && old->is_array() && s.list_type == "map") {
        for (const auto& o : *old) {
          bool same = true;
          for (const auto& k : s.list_map_keys) same &= find(o, k) && find(v[i], k) && o[k] == v[i][k];
          if (same) {
            old_item = &o;
            break;
          }
        }
      }
      walk(*s.items, v[i], path + "[" + std::to_string(i) + "]", old_item, false);
    }
    long long n = static_cast<long long>(v.size());
    if (s.max_items && n > *s.max_items) error(field_too_many(path, n, *s.max_items));
    if (s.min_items && n < *s.min_items) {
      error(field_invalid(path, v, path + " in body should have at least " + std::to_string(*s.min_items) + " items"));
    }
    if (s.unique_items || s.list_type == "set") {
      for (size_t i = 0; i < v.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (v[i] == v[j]) error(field_duplicate(path + "[" + std::to_string(i) + "]", v[i]));
        }
      }
    }
    if (s.list_type == "map") {
      for (size_t i = 0; i < v.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          bool same = true;
          Json key = Json::object();
          for (const auto& k : s.list_map_keys) {
            const Json* a = find(v[i], k);
            const Json* b = find(v[j], k);
            same &= (a ? *a : Json()) == (b ? *b : Json());
            if (a) key[k] = *a;
          }
          if (same) error(field_duplicate(path + "[" + std::to_string(i) + "]", key));
        }
      }
    }
  }

  void check_string(const Schema& s, const Json& v, const std::string& path) {
    const std::string str = v.get<std::string>();
    long long len = utf8_length(str);
    if (s.max_length && len > *s.max_length) error(field_too_long(path, *s.max_length));
    if (s.min_length && len < *s.min_length) {
      error(field_invalid(path, v,
                          path + " in body should be at least " + std::to_string(*s.min_length) + " chars long"));
    }
    if (s.pattern && !std::regex_search(str, *s.pattern)) {
      error(field_invalid(path, v, path + " in body should match '" + s.pattern_text + "'"));
    }
    if (s.format == "date-time") {
      Clock::time_point t;
      if (!parse_rfc3339(str, t))
        error(field_invalid(path, v, path + " in body must be of type date-time: \"" + str + "\""));
    } else if (s.format == "byte") {
      std::string decoded;
      if (!base64_decode(str, decoded))
        error(field_invalid(path, v, path + " in body must be of type byte: \"" + str + "\""));
    }
  }

  void check_number(const Schema& s, const Json& v, const std::string& path) {
    double d = v.get<double>();
    if (s.maximum) {
      if (s.exclusive_maximum ? d >= *s.maximum : d > *s.maximum) {
        error(field_invalid(
            path, v,
            path + " in body should be less than " + (s.exclusive_maximum ? "" : "or equal to ") + num(*s.maximum)));
      }
    }
    if (s.minimum) {
      if (s.exclusive_minimum ? d <= *s.minimum : d < *s.minimum) {
        error(field_invalid(
            path, v,
            path + " in body should be greater than " + (s.exclusive_minimum ? "" : "or equal to ") + num(*s.minimum)));
      }
    }
    if (s.multiple_of && *s.multiple_of != 0) {
      double q = d / *s.multiple_of;
      if (std::fabs(q - std::round(q)) > 1e-9)
        error(field_invalid(path, v, path + " in body should be a multiple of " + num(*s.multiple_of)));
    }
    if (s.format == "int32" && (v.is_number_integer() || v.is_number_unsigned()) &&
        (d > 2147483647.0 || d < -2147483648.0)) {
      error(field_invalid(path, v, path + " in body must be of type int32: \"" + v.dump() + "\""));
    }
  }

  // Branches validate the value only: they never prune or default.
  size_t branch_errors(const Schema& branch, const Json& v, const std::string& path) {
    ValidationResult r;
    Validator inner{r, false};
    Json copy = v;
    inner.walk(branch, copy, path, nullptr, false);
    return r.errors.size();
  }

  void check_combinators(const Schema& s, const Json& v, const std::string& path) {
    for (const auto& b : s.all_of) {
      ValidationResult r;
      Validator inner{r, false};
      Json copy = v;
      inner.walk(*b, copy, path, nullptr, false);
      for (auto& e : r.errors) error(std::move(e));
    }
    if (!s.any_of.empty()) {
      bool any = false;
      for (const auto& b : s.any_of) any |= branch_errors(*b, v, path) == 0;
      if (!any) error(field_invalid(path, v, "must validate at least one schema (anyOf)"));
    }
    if (!s.one_of.empty()) {
      int passing = 0;
      for (const auto& b : s.one_of) passing += branch_errors(*b, v, path) == 0;
      if (passing != 1) error(field_invalid(path, v, "must validate one and only one schema (oneOf)"));
    }
    if (s.not_schema && branch_errors(*s.not_schema, v, path) == 0) {
      error(field_invalid(path, v, "must not validate the schema (not)"));
    }
  }

  void check_rules(const Schema& s, const Json& v, const std::string& path, const Json* old) {
    for (const auto& rule : s.rules) {
      if (rule.program->uses_old_self() && !old) continue;  // transition rules run on updates only
      std::string where = path + rule.field_path;
      Json shown = json_type_name(v);
      auto r = rule.program->evaluate(v, old);
      if (!r.ok()) {
        error(field_invalid(where, shown, r.error() + " evaluating rule: " + rule.rule));
        continue;
      }
      if (*r) continue;
      std::string msg = rule.message.empty() ? "failed rule: " + rule.rule : rule.message;
      if (rule.reason == "FieldValueForbidden") error(field_forbidden(where, msg));
      else if (rule.reason == "FieldValueRequired") error(field_required(where, msg));
      else if (rule.reason == "FieldValueDuplicate") error({"FieldValueDuplicate", where, "Duplicate value: " + msg});
      else error(field_invalid(where, shown, msg));
    }
  }
};

struct Compiler {
  std::optional<SchemaError> failure;
  int value_validation_depth = 0;  // inside allOf/anyOf/oneOf/not, where types may be omitted

  std::shared_ptr<Schema> fail(bool unsupported, FieldError e) {
    if (!failure) failure = SchemaError{unsupported, std::move(e)};
    return nullptr;
  }

  std::optional<double> number(const Json& j, const char* key, const std::string& path) {
    const Json* v = find(j, key);
    if (!v) return std::nullopt;
    if (!v->is_number()) {
      fail(false, field_invalid(child(path, key), *v, "must be a number"));
      return std::nullopt;
    }
    return v->get<double>();
  }

  std::optional<long long> count(const Json& j, const char* key, const std::string& path) {
    const Json* v = find(j, key);
    if (!v) return std::nullopt;
    if (!v->is_number_integer() && !v->is_number_unsigned()) {
      fail(false, field_invalid(child(path, key), *v, "must be an integer"));
      return std::nullopt;
    }
    return v->get<long long>();
  }

  std::shared_ptr<Schema> compile(const Json& j, const std::string& path) {
    if (!j.is_object()) return fail(false, field_invalid(path, j, "must be an object"));
    auto s = std::make_shared<Schema>();
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!known_keywords().count(it.key())) {
        return fail(true,
                    field_forbidden(child(path, it.key()), "schema keyword \"" + it.key() +
                                                               "\" is not supported by the Sluice test API server"));
      }
    }
    s->type = string_at(j, {"type"});
    static const std::set<std::string> kTypes = {"", "object", "array", "string", "integer", "number", "boolean"};
    if (!kTypes.count(s->type)) {
      return fail(false, field_not_supported(child(path, "type"), s->type,
                                             {"array", "boolean", "integer", "number", "object", "string"}));
    }
    s->format = string_at(j, {"format"});
    auto flag = [&](const char* k) {
      const Json* v = find(j, k);
      return v && v->is_boolean() && v->get<bool>();
    };
    s->nullable = flag("nullable");
    s->preserve_unknown_fields = flag("x-kubernetes-preserve-unknown-fields");
    s->int_or_string = flag("x-kubernetes-int-or-string");
    s->embedded_resource = flag("x-kubernetes-embedded-resource");
    s->exclusive_minimum = flag("exclusiveMinimum");
    s->exclusive_maximum = flag("exclusiveMaximum");
    s->unique_items = flag("uniqueItems");
    s->minimum = number(j, "minimum", path);
    s->maximum = number(j, "maximum", path);
    s->multiple_of = number(j, "multipleOf", path);
    s->min_length = count(j, "minLength", path);
    s->max_length = count(j, "maxLength", path);
    s->min_items = count(j, "minItems", path);
    s->max_items = count(j, "maxItems", path);
    s->min_properties = count(j, "minProperties", path);
    s->max_properties = count(j, "maxProperties", path);
    if (failure) return nullptr;
    if (s->type.empty() && !s->int_or_string && !s->preserve_unknown_fields && value_validation_depth == 0 &&
        path.find(".properties[") != std::string::npos) {
      return fail(false, field_required(child(path, "type"), "must not be empty for specified object fields"));
    }
    if (const Json* p = find(j, "pattern")) {
      if (!p->is_string()) return fail(false, field_invalid(child(path, "pattern"), *p, "must be a string"));
      s->pattern_text = p->get<std::string>();
      try {
        s->pattern = std::regex(s->pattern_text, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return fail(false,
                    field_invalid(child(path, "pattern"), *p, std::string("invalid regular expression: ") + e.what()));
      }
    }
    if (const Json* e = find(j, "enum")) {
      if (!e->is_array()) return fail(false, field_invalid(child(path, "enum"), *e, "must be a list"));
      s->enum_values.assign(e->begin(), e->end());
    }
    if (const Json* r = find(j, "required")) {
      if (!r->is_array()) return fail(false, field_invalid(child(path, "required"), *r, "must be a list"));
      for (const auto& x : *r) {
        if (x.is_string()) s->required.push_back(x.get<std::string>());
      }
    }
    if (const Json* props = find(j, "properties")) {
      if (!props->is_object())
        return fail(false, field_invalid(child(path, "properties"), *props, "must be an object"));
      for (auto it = props->begin(); it != props->end(); ++it) {
        auto c = compile(it.value(), path + ".properties[" + it.key() + "]");
        if (!c) return nullptr;
        s->properties[it.key()] = c;
      }
    }
    if (const Json* ap = find(j, "additionalProperties")) {
      if (ap->is_boolean()) {
        if (!ap->get<bool>()) {
          return fail(false, field_forbidden(child(path, "additionalProperties"),
                                             "additionalProperties: false is not allowed"));
        }
        s->additional_properties = std::make_shared<Schema>();
        s->additional_properties->preserve_unknown_fields = true;
      } else {
        if (!s->properties.empty()) {
          return fail(false, field_forbidden(child(path, "additionalProperties"),
                                             "additionalProperties and properties are mutually exclusive"));
        }
        s->additional_properties = compile(*ap, child(path, "additionalProperties"));
        if (!s->additional_properties) return nullptr;
      }
    }
    if (const Json* items = find(j, "items")) {
      if (items->is_array()) {
        return fail(false, field_forbidden(child(path, "items"), "items must be a schema object and not an array"));
      }
      s->items = compile(*items, child(path, "items"));
      if (!s->items) return nullptr;
    }
    if (s->type == "array" && !s->items) {
      return fail(false, field_required(child(path, "items"), "must be specified"));
    }
    for (const char* k : {"allOf", "anyOf", "oneOf"}) {
      const Json* list = find(j, k);
      if (!list) continue;
      if (!list->is_array()) return fail(false, field_invalid(child(path, k), *list, "must be a list"));
      auto& dest = std::string(k) == "allOf" ? s->all_of : std::string(k) == "anyOf" ? s->any_of : s->one_of;
      ++value_validation_depth;
      for (size_t i = 0; i < list->size(); ++i) {
        auto c = compile((*list)[i], child(path, k) + "[" + std::to_string(i) + "]");
        if (!c) return nullptr;
        dest.push_back(c);
      }
      --value_validation_depth;
    }
    if (const Json* n = find(j, "not")) {
      ++value_validation_depth;
      s->not_schema = compile(*n, child(path, "not"));
      --value_validation_depth;
      if (!s->not_schema) return nullptr;
    }
    s->list_type = string_at(j, {"x-kubernetes-list-type"});
    if (!s->list_type.empty() && s->list_type != "atomic" && s->list_type != "set" && s->list_type != "map") {
      return fail(false,
                  field_not_supported(child(path, "x-kubernetes-list-type"), s->list_type, {"atomic", "set", "map"}));
    }
    if (const Json* keys = find(j, "x-kubernetes-list-map-keys"); keys && keys->is_array()) {
      for (const auto& k : *keys) {
        if (k.is_string()) s->list_map_keys.push_back(k.get<std::string>());
      }
    }
    if (s->list_type == "map" && s->list_map_keys.empty()) {
      return fail(false, field_required(child(path, "x-kubernetes-list-map-keys"),
                                        "must not be empty if x-kubernetes-list-type is map"));
    }
    if (const Json* d = find(j, "default")) {
      Json copy = *d;
      ValidationResult r;
      Validator v{r, true};
      v.walk(*s, copy, path + ".default", nullptr, false);
      if (!r.unknown_fields.empty()) {
        return fail(false,
                    field_invalid(child(path, "default"), *d, "must not have unknown fields: " + r.unknown_fields[0]));
      }
      if (!r.errors.empty()) return fail(false, {r.errors[0].reason, child(path, "default"), r.errors[0].message});
      s->default_value = copy;
    }
    if (const Json* rules = find(j, "x-kubernetes-validations")) {
      if (!rules->is_array())
        return fail(false, field_invalid(child(path, "x-kubernetes-validations"), *rules, "must be a list"));
      for (size_t i = 0; i < rules->size(); ++i) {
        const Json& r = (*rules)[i];
        std::string rpath = child(path, "x-kubernetes-validations") + "[" + std::to_string(i) + "]";
        CelRule rule;
        rule.rule = string_at(r, {"rule"});
        rule.message = string_at(r, {"message"});
        rule.field_path = string_at(r, {"fieldPath"});
        rule.reason = string_at(r, {"reason"});
        for (auto it = r.begin(); it != r.end(); ++it) {
          if (it.key() != "rule" && it.key() != "message" && it.key() != "fieldPath" && it.key() != "reason") {
            return fail(true, field_forbidden(
                                  child(rpath, it.key()),
                                  "\"" + it.key() +
                                      "\" in x-kubernetes-validations is not supported by the Sluice test API server"));
          }
        }
        if (!rule.field_path.empty() && rule.field_path[0] != '.' && rule.field_path[0] != '[') {
          return fail(false, field_invalid(child(rpath, "fieldPath"), rule.field_path,
                                           "must be a relative JSON path starting with '.'"));
        }
        static const std::set<std::string> kReasons = {"", "FieldValueInvalid", "FieldValueForbidden",
                                                       "FieldValueRequired", "FieldValueDuplicate"};
        if (!kReasons.count(rule.reason)) {
          return fail(false, field_not_supported(child(rpath, "reason"), rule.reason,
                                                 {"FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid",
                                                  "FieldValueRequired"}));
        }
        auto program = CelProgram::compile(rule.rule, s.get());
        if (!program.ok()) {
          return fail(
              true, field_invalid(
                        child(rpath, "rule"), rule.rule,
                        "rule is not supported by the Sluice test API server (it evaluates only a small CEL subset): " +
                            program.error()));
        }
        rule.program = std::move(*program);
        s->rules.push_back(std::move(rule));
      }
    }
    return s;
  }
};

}  // namespace

Result<std::shared_ptr<const Schema>, SchemaError> compile_schema(const Json& openapi, const std::string& base) {
  Compiler c;
  auto s = c.compile(openapi, base);
  if (!s) return Failure(*c.failure);
  return std::shared_ptr<const Schema>(std::move(s));
}

ValidationResult validate_custom_resource(const Schema& root, Json& object, const Json* old) {
  ValidationResult r;
  Validator v{r, true};
  v.walk(root, object, "", old, true);
  return r;
}

ListSemanticsLookup schema_list_semantics(std::shared_ptr<const Schema> root) {
  return [root](const std::string& path) -> ListSemantics {
    const Schema* s = root.get();
    size_t start = 0;
    while (s && start < path.size()) {
      size_t dot = path.find('.', start);
      std::string seg = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      start = dot == std::string::npos ? path.size() : dot + 1;
      bool item = seg.size() >= 2 && seg.compare(seg.size() - 2, 2, "[]") == 0;
      if (item) seg.resize(seg.size() - 2);
      auto it = s->properties.find(seg);
      s = it != s->properties.end() ? it->second.get() : s->additional_properties.get();
      if (s && item) s = s->items.get();
    }
    if (!s) return {};
    if (s->list_type == "map") return {ListSemantics::Map, s->list_map_keys};
    if (s->list_type == "set") return {ListSemantics::Set, {}};
    return {};
  };
}

}  // namespace sluice::test_apiserver
