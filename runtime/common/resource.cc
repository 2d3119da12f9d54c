#include "runtime/common/resource.h"

#include <algorithm>
#include <regex>

namespace sluice::resource {
namespace {

using Type = Field::Type;

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::string range_text(const Field& f, const char* what) {
  if (f.min && f.max)
    return "must be " + std::string(what) + " from " + std::to_string(*f.min) + " to " + std::to_string(*f.max);
  if (f.min) return "must be " + std::string(what) + " of at least " + std::to_string(*f.min);
  if (f.max) return "must be " + std::string(what) + " of at most " + std::to_string(*f.max);
  return "must be " + std::string(what);
}

void check_rules(const std::vector<Rule>& rules, const json& self, std::string_view name, const std::string& path,
                 std::vector<SpecError>& errors) {
  for (const auto& rule : rules)
    if (rule.holds && !rule.holds(self, name))
      errors.push_back({rule.field.empty() ? path : path + "." + rule.field, rule.message});
}

void check(const Field& f, const json& v, const std::string& path, std::string_view name,
           std::vector<SpecError>& errors);

void check_members(const Fields& fields, const json& v, const std::string& path, std::string_view name,
                   std::vector<SpecError>& errors) {
  for (const auto& [key, value] : v.items()) {
    const Field* member = find_field(fields, key);
    if (!member) {
      errors.push_back({path + "." + key, "unknown field"});
      continue;
    }
    check(*member, value, path + "." + key, name, errors);
  }
  for (const auto& member : fields)
    if (member.required && !v.contains(member.name)) errors.push_back({path + "." + member.name, "is required"});
}

void check(const Field& f, const json& v, const std::string& path, std::string_view name,
           std::vector<SpecError>& errors) {
  const size_t before = errors.size();
  auto err = [&](std::string message) { errors.push_back({path, std::move(message)}); };
  switch (f.type) {
    case Type::integer: {
      if (!v.is_number_integer()) return err(range_text(f, "an integer"));
      const int64_t n =
          v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v.get<int64_t>();
      if ((f.min && n < *f.min) || (f.max && n > *f.max)) return err(range_text(f, "an integer"));
      break;
    }
    case Type::number: {
      if (!v.is_number()) return err("must be a number");
      const double d = v.get<double>();
      if (f.min && (f.exclusive_minimum ? d <= double(*f.min) : d < double(*f.min)))
        return err(f.exclusive_minimum ? "must be a number greater than " + std::to_string(*f.min)
                                       : "must be a number of at least " + std::to_string(*f.min));
      if (f.max && d > double(*f.max)) return err("must be a number of at most " + std::to_string(*f.max));
      break;
    }
    case Type::boolean:
      if (!v.is_boolean()) return err("must be a boolean (true or false)");
      break;
    case Type::string: {
      if (!v.is_string()) return err(f.values.empty() ? "must be a string" : "must be one of: " + join(f.values));
      const auto& s = v.get_ref<const std::string&>();
      if (!f.values.empty() && std::find(f.values.begin(), f.values.end(), s) == f.values.end())
        return err("must be one of: " + join(f.values));
      if ((f.min && s.size() < size_t(*f.min)) || (f.max && s.size() > size_t(*f.max)))
        return err(range_text(f, "a string of length"));
      if (!f.pattern.empty() && !std::regex_match(s, std::regex(f.pattern, std::regex::ECMAScript)))
        return err("must match " + f.pattern);
      break;
    }
    case Type::object:
      if (!v.is_object()) return err("must be a mapping");
      if (!f.free_form) check_members(f.fields, v, path, name, errors);
      break;
    case Type::list:
      if (!v.is_array()) return err("must be a list");
      if (f.min && v.size() < size_t(*f.min)) return err("must hold at least " + std::to_string(*f.min) + " item(s)");
      if (f.max && v.size() > size_t(*f.max)) return err("must hold at most " + std::to_string(*f.max) + " items");
      if (!f.items.empty())
        for (size_t i = 0; i < v.size(); ++i)
          check(f.items[0], v[i], path + "[" + std::to_string(i) + "]", name, errors);
      break;
    case Type::map:
      if (!v.is_object()) return err("must be a mapping");
      if (f.max && v.size() > size_t(*f.max)) return err("must hold at most " + std::to_string(*f.max) + " entries");
      if (!f.items.empty())
        for (const auto& [k, value] : v.items()) check(f.items[0], value, path + "." + k, name, errors);
      break;
  }
  // Rules between members only mean something once every member is well-typed.
  if (errors.size() == before && f.type == Type::object) check_rules(f.rules, v, name, path, errors);
}

}  // namespace

std::string KindDef::engine_name(const json& spec, std::string_view name) const {
  if (!name_field.empty() && spec.is_object())
    if (auto it = spec.find(name_field);
        it != spec.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
      return it->get<std::string>();
  return std::string(name);
}

std::string wire_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

const Field* find_field(const Fields& fields, std::string_view name) {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<SpecError> validate(const KindDef& kind, const json& spec, std::string_view name) {
  std::vector<SpecError> errors;
  const json empty = json::object();
  const json& s = spec.is_null() ? empty : spec;
  if (!s.is_object()) {
    errors.push_back({"spec", "must be a mapping"});
    return errors;
  }
  check_members(kind.spec, s, "spec", name, errors);
  if (errors.empty()) check_rules(kind.spec_rules, s, name, "spec", errors);
  if (errors.empty()) check_rules(kind.root_rules, s, name, "spec", errors);
  return errors;
}

std::string describe(const std::vector<SpecError>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e.str();
  return out;
}

Field tags_field(std::string doc, int64_t max) {
  Field tags{"tags", Field::Type::map, std::move(doc)};
  tags.max = max;
  tags.items = {Field{"", Field::Type::string}};
  return tags;
}

Field deletion_policy_field(std::string doc) {
  Field deletion{"deletionPolicy", Field::Type::string, std::move(doc)};
  deletion.values = {"Delete", "Retain"};
  deletion.default_value = "Delete";
  return deletion;
}

}  // namespace sluice::resource
