#include "tests/k8s/apiserver/jsonpath.h"

#include <cctype>

namespace sluice::test_apiserver {

namespace {

bool read_quoted(std::string_view s, size_t& i, std::string& out) {
  char q = s[i++];
  out.clear();
  while (i < s.size() && s[i] != q) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i++];
  }
  if (i >= s.size()) return false;
  ++i;
  return true;
}

// A field name after '.': runs until '.', '[' or the end; "\." is a literal dot.
std::string read_name(std::string_view s, size_t& i) {
  std::string out;
  while (i < s.size() && s[i] != '.' && s[i] != '[') {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i++];
  }
  return out;
}

}  // namespace

Result<JsonPath, std::string> JsonPath::parse(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = s.substr(1, s.size() - 2);
  if (s.empty() || (s[0] != '.' && s[0] != '[')) {
    return Failure(std::string("JSONPath must start with '.' or '[': ") + std::string(text));
  }
  JsonPath path;
  size_t i = 0;
  while (i < s.size()) {
    Step step;
    if (s[i] == '.') {
      ++i;
      if (i < s.size() && s[i] == '.') return Failure(std::string("recursive descent (..) is not supported"));
      step.name = read_name(s, i);
      if (step.name.empty()) return Failure(std::string("empty field name in JSONPath ") + std::string(text));
      if (step.name == "*") step.kind = Step::Wildcard;
    } else if (s[i] == '[') {
      ++i;
      if (i < s.size() && (s[i] == '\'' || s[i] == '"')) {
        if (!read_quoted(s, i, step.name)) return Failure(std::string("unterminated quote in JSONPath"));
      } else if (i < s.size() && s[i] == '*') {
        step.kind = Step::Wildcard;
        ++i;
      } else if (i < s.size() && s[i] == '?') {
        // [?(@.a.b==value)]
        step.kind = Step::Filter;
        if (s.substr(i, 3) != "?(@") return Failure(std::string("unsupported JSONPath filter"));
        i += 3;
        while (i < s.size() && s[i] == '.') {
          ++i;
          size_t start = i;
          while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '-')) ++i;
          if (start == i) return Failure(std::string("bad field in JSONPath filter"));
          step.filter_path.emplace_back(s.substr(start, i - start));
        }
        while (i < s.size() && s[i] == ' ') ++i;
        if (s.substr(i, 2) == "==") {
          i += 2;
        } else if (s.substr(i, 2) == "!=") {
          step.filter_not_equal = true;
          i += 2;
        } else {
          return Failure(std::string("JSONPath filters support only == and !="));
        }
        while (i < s.size() && s[i] == ' ') ++i;
        if (i < s.size() && (s[i] == '\'' || s[i] == '"')) {
          std::string lit;
          if (!read_quoted(s, i, lit)) return Failure(std::string("unterminated quote in JSONPath"));
          step.filter_value = lit;
        } else {
          size_t start = i;
          while (i < s.size() && s[i] != ')' && s[i] != ' ') ++i;
          Json lit = Json::parse(s.substr(start, i - start), nullptr, false);
          if (lit.is_discarded() || lit.is_structured()) return Failure(std::string("bad literal in JSONPath filter"));
          step.filter_value = lit;
        }
        while (i < s.size() && s[i] == ' ') ++i;
        if (i >= s.size() || s[i] != ')') return Failure(std::string("unterminated JSONPath filter"));
        ++i;
      } else {
        size_t start = i;
        if (i < s.size() && s[i] == '-') ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (start == i || i >= s.size() || s[i] != ']') {
          return Failure(std::string("unsupported JSONPath subscript (slices and unions are not supported): ") +
                         std::string(text));
        }
        step.kind = Step::Index;
        step.index = std::stol(std::string(s.substr(start, i - start)));
      }
      if (i >= s.size() || s[i] != ']') return Failure(std::string("missing ']' in JSONPath ") + std::string(text));
      ++i;
    } else {
      return Failure(std::string("unexpected '") + s[i] + "' in JSONPath " + std::string(text));
    }
    path.steps_.push_back(std::move(step));
  }
  return path;
}

std::vector<const Json*> JsonPath::find(const Json& root) const {
  std::vector<const Json*> cur{&root};
  for (const auto& step : steps_) {
    std::vector<const Json*> next;
    for (const Json* v : cur) {
      switch (step.kind) {
        case Step::Field:
          if (const Json* c = test_apiserver::find(*v, step.name)) next.push_back(c);
          break;
        case Step::Index:
          if (v->is_array()) {
            long n = static_cast<long>(v->size());
            long idx = step.index < 0 ? n + step.index : step.index;
            if (idx >= 0 && idx < n) next.push_back(&(*v)[static_cast<size_t>(idx)]);
          }
          break;
        case Step::Wildcard:
          if (v->is_array() || v->is_object()) {
            for (const auto& c : *v) next.push_back(&c);
          }
          break;
        case Step::Filter:
          if (v->is_array()) {
            for (const auto& c : *v) {
              const Json* f = &c;
              for (const auto& name : step.filter_path) {
                f = f ? test_apiserver::find(*f, name) : nullptr;
              }
              bool equal = f && *f == step.filter_value;
              if (f && equal != step.filter_not_equal) next.push_back(&c);
            }
          }
          break;
      }
    }
    cur = std::move(next);
  }
  return cur;
}

const Json* JsonPath::first(const Json& root) const {
  auto all = find(root);
  return all.empty() ? nullptr : all.front();
}

bool JsonPath::simple() const {
  for (const auto& s : steps_) {
    if (s.kind != Step::Field) return false;
  }
  return !steps_.empty();
}

std::vector<std::string> JsonPath::fields() const {
  std::vector<std::string> out;
  for (const auto& s : steps_) out.push_back(s.name);
  return out;
}

void set_fields(Json& root, const std::vector<std::string>& fields, Json value) {
  Json* cur = &root;
  for (size_t i = 0; i + 1 < fields.size(); ++i) cur = &object_member(*cur, fields[i]);
  if (!cur->is_object()) *cur = Json::object();
  (*cur)[fields.back()] = std::move(value);
}

}  // namespace sluice::test_apiserver
