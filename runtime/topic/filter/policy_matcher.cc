#include "runtime/topic/filter/policy_matcher.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace sluice::topic::filter {
namespace {

using json = nlohmann::json;

// Deeper than any policy can reach (150 levels at most): below this a body is
// treated as absent, which bounds the recursion on hostile nesting.
constexpr int kMaxNesting = 1000;

bool any_exists_false(const std::vector<Condition>& conditions) {
  return std::any_of(conditions.begin(), conditions.end(),
                     [](const Condition& c) { return c.op == Condition::Op::exists && !c.present; });
}

// A JSON scalar as a condition sees it; numbers keep the text they were written with.
bool matches_scalar(const Condition& c, const json& v) {
  if (v.is_string()) return matches(c, string_value(v.get_ref<const std::string&>()));
  const std::string text = v.dump();
  return matches(c, v.is_number() ? number_value(text) : literal_value(text));
}

// --- attribute scope ---

enum class AttributeKind : uint8_t { string, number, array, opaque };

AttributeKind kind_of(std::string_view type) {
  if (type == "String.Array" || type.starts_with("String.Array.")) return AttributeKind::array;
  const std::string_view base = type.substr(0, type.find('.'));
  if (base == "String") return AttributeKind::string;
  if (base == "Number") return AttributeKind::number;
  return AttributeKind::opaque;  // Binary, and types SNS does not have: never compared
}

// What one message's attributes look like to a policy; String.Array values are
// parsed once, for the attributes the policy names. Lives for one evaluation,
// on the evaluating thread; borrows the attributes.
class AttributeView {
 public:
  explicit AttributeView(const MessageAttributes& attributes) : attributes_(attributes) {}

  bool load_arrays(const Node& node) {
    for (const Node& child : node.children) {
      auto it = attributes_.find(child.key);
      if (it == attributes_.end() || kind_of(it->second.data_type) != AttributeKind::array || array(child.key))
        continue;
      json parsed = json::parse(it->second.value, nullptr, false);
      if (!parsed.is_array()) return false;
      for (const json& e : parsed)
        if (e.is_structured()) return false;
      arrays_.emplace_back(child.key, std::move(parsed));
    }
    for (const auto& group : node.any_of)
      for (const Node& branch : group)
        if (!load_arrays(branch)) return false;
    return true;
  }

  bool matches_node(const Node& node) const {
    for (const Node& child : node.children)
      if (!key_matches(child.key, child.conditions)) return false;
    for (const auto& group : node.any_of)
      if (std::none_of(group.begin(), group.end(), [&](const Node& branch) { return matches_node(branch); }))
        return false;
    return true;
  }

 private:
  const json* array(const std::string& name) const {
    for (const auto& [n, parsed] : arrays_)
      if (n == name) return &parsed;
    return nullptr;
  }

  bool key_matches(const std::string& name, const std::vector<Condition>& conditions) const {
    auto it = attributes_.find(name);
    if (it == attributes_.end()) return any_exists_false(conditions);
    const MessageAttribute& attribute = it->second;
    const AttributeKind kind = kind_of(attribute.data_type);
    for (const Condition& c : conditions) {
      if (c.op == Condition::Op::exists) {
        if (c.present) return true;
        continue;
      }
      switch (kind) {
        case AttributeKind::string:
          if (matches(c, string_value(attribute.value))) return true;
          break;
        case AttributeKind::number:
          if (matches(c, number_value(attribute.value))) return true;
          break;
        case AttributeKind::array:
          if (array_matches(c, *array(name))) return true;
          break;
        case AttributeKind::opaque:
          break;
      }
    }
    return false;
  }

  // AWS: "anything-but" on a String.Array "matches if none of the array
  // elements are listed"; every other condition needs one matching element.
  static bool array_matches(const Condition& c, const json& elements) {
    if (elements.empty()) return false;
    auto one = [&](const json& e) { return matches_scalar(c, e); };
    if (c.op == Condition::Op::anything_but) return std::all_of(elements.begin(), elements.end(), one);
    return std::any_of(elements.begin(), elements.end(), one);
  }

  const MessageAttributes& attributes_;
  std::vector<std::pair<std::string, json>> arrays_;
};

// --- body scope ---

// Merges `value` into `into`: objects key by key, anything else as more values
// of one key (an array), which is how AWS sees a path written twice.
void merge(json& into, json value, int depth) {
  if (into.is_object() && value.is_object() && depth <= kMaxNesting) {
    for (auto& [key, v] : value.items()) {
      auto it = into.find(key);
      if (it == into.end()) into[key] = std::move(v);
      else merge(*it, std::move(v), depth + 1);
    }
    return;
  }
  if (!into.is_array()) {
    json first = std::move(into);
    into = json::array();
    into.push_back(std::move(first));
  }
  if (!value.is_array()) {
    into.push_back(std::move(value));
    return;
  }
  for (json& v : value) into.push_back(std::move(v));
}

// Moves `value` to `path` (split at '.') under `object`; false if a step on the
// way is already a value other than an object.
bool insert_at_path(json& object, const std::string& path, json& value, int depth) {
  json* at = &object;
  size_t start = 0;
  for (size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) {
    const std::string step = path.substr(start, dot - start);
    auto it = at->find(step);
    if (it != at->end() && !it->is_object()) return false;
    at = it == at->end() ? &((*at)[step] = json::object()) : &*it;
  }
  const std::string last = path.substr(start);
  auto it = at->find(last);
  if (it == at->end()) (*at)[last] = std::move(value);
  else merge(*it, std::move(value), depth);
  return true;
}

// {"a.b": 1} becomes {"a": {"b": 1}}, so that dotted keys and nested objects
// are one path, as they are to AWS.
void expand_dotted_keys(json& v, int depth) {
  if (depth > kMaxNesting) return;
  if (v.is_array()) {
    for (json& e : v) expand_dotted_keys(e, depth + 1);
    return;
  }
  if (!v.is_object()) return;
  std::vector<std::string> dotted;
  for (auto& [key, value] : v.items()) {
    expand_dotted_keys(value, depth + 1);
    if (key.find('.') != std::string::npos) dotted.push_back(key);
  }
  for (const std::string& key : dotted) {
    json value = std::move(v[key]);
    v.erase(key);
    if (!insert_at_path(v, key, value, depth)) v[key] = std::move(value);
  }
}

bool conditions_match(const std::vector<Condition>& conditions, const json* v) {
  const bool present = v && !v->is_object();  // an object is not a value: its keys are
  for (const Condition& c : conditions) {
    if (c.op == Condition::Op::exists) {
      if (c.present == present) return true;
    } else if (present && matches_scalar(c, *v)) {
      return true;
    }
  }
  return false;
}

// `v` is null where the body has nothing. An array is matched one element at a
// time, the whole node against each, so that keys under an array of objects
// come from the same object.
bool node_matches(const Node& node, const json* v, int depth) {
  if (depth > kMaxNesting) v = nullptr;
  if (v && v->is_array()) {
    if (v->empty()) return node_matches(node, nullptr, depth + 1);
    return std::any_of(v->begin(), v->end(), [&](const json& e) { return node_matches(node, &e, depth + 1); });
  }
  if (!node.conditions.empty() && !conditions_match(node.conditions, v)) return false;
  for (const Node& child : node.children) {
    const json* next = nullptr;
    if (v && v->is_object()) {
      auto it = v->find(child.key);
      if (it != v->end()) next = &*it;
    }
    if (!node_matches(child, next, depth + 1)) return false;
  }
  for (const auto& group : node.any_of)
    if (std::none_of(group.begin(), group.end(), [&](const Node& b) { return node_matches(b, v, depth + 1); }))
      return false;
  return true;
}

}  // namespace

FilterOutcome match_attributes(const Node& root, const MessageAttributes& attributes) {
  if (attributes.empty()) return FilterOutcome::no_attributes;
  AttributeView view(attributes);
  if (!view.load_arrays(root)) return FilterOutcome::invalid_attributes;
  return view.matches_node(root) ? FilterOutcome::match : FilterOutcome::no_match;
}

FilterOutcome match_body(const Node& root, std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return FilterOutcome::invalid_body;
  expand_dotted_keys(doc, 0);
  return node_matches(root, &doc, 0) ? FilterOutcome::match : FilterOutcome::no_match;
}

}  // namespace sluice::topic::filter
