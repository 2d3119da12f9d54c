#include "tests/k8s/apiserver/selectors.h"

#include <cctype>
#include <cstdlib>

namespace sluice::test_apiserver {

namespace {

void skip_spaces(std::string_view s, size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
}

std::string read_token(std::string_view s, size_t& i) {
  skip_spaces(s, i);
  size_t start = i;
  while (i < s.size() && is_token_char(s[i])) ++i;
  return std::string(s.substr(start, i - start));
}

bool is_integer(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtoll(s.c_str(), &end, 10);
  return *end == '\0';
}

const Json* dotted(const Json& obj, const std::string& path) {
  const Json* cur = &obj;
  size_t start = 0;
  while (cur) {
    size_t dot = path.find('.', start);
    cur = find(*cur, path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

}  // namespace

Result<LabelSelector, std::string> LabelSelector::parse(std::string_view s) {
  LabelSelector sel;
  size_t i = 0;
  skip_spaces(s, i);
  if (i == s.size()) return sel;
  for (;;) {
    Requirement r;
    skip_spaces(s, i);
    bool bang = i < s.size() && s[i] == '!';
    if (bang) ++i;
    r.key = read_token(s, i);
    if (r.key.empty()) return Failure("unable to parse requirement: found '" + std::string(s.substr(i)) + "'");
    skip_spaces(s, i);
    if (bang) {
      r.op = Requirement::NotExists;
    } else if (i == s.size() || s[i] == ',') {
      r.op = Requirement::Exists;
    } else if (s.substr(i, 2) == "==" || s.substr(i, 2) == "!=" || s[i] == '=' || s[i] == '>' || s[i] == '<') {
      if (s.substr(i, 2) == "!=") {
        r.op = Requirement::NotIn;
        i += 2;
      } else if (s[i] == '>' || s[i] == '<') {
        r.op = s[i] == '>' ? Requirement::Gt : Requirement::Lt;
        ++i;
      } else {
        r.op = Requirement::In;
        i += s.substr(i, 2) == "==" ? 2 : 1;
      }
      std::string v = read_token(s, i);
      if ((r.op == Requirement::Gt || r.op == Requirement::Lt) && !is_integer(v)) {
        return Failure("for 'Gt', 'Lt' operators, the value must be an integer: " + v);
      }
      r.values.push_back(v);
    } else {
      std::string word = read_token(s, i);
      if (word != "in" && word != "notin") {
        return Failure("unable to parse requirement: found '" + word + "', expected: in, notin, =, ==, !=, gt, lt");
      }
      r.op = word == "in" ? Requirement::In : Requirement::NotIn;
      skip_spaces(s, i);
      if (i >= s.size() || s[i] != '(')
        return Failure(std::string("found '") + std::string(s.substr(i)) + "', expected: '('");
      ++i;
      for (;;) {
        r.values.push_back(read_token(s, i));
        skip_spaces(s, i);
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == ')') {
          ++i;
          break;
        }
        return Failure(std::string("found '") + std::string(s.substr(i)) + "', expected: ',' or ')'");
      }
    }
    sel.reqs_.push_back(std::move(r));
    skip_spaces(s, i);
    if (i == s.size()) break;
    if (s[i] != ',') return Failure(std::string("found '") + s[i] + "', expected: ',' or end of string");
    ++i;
  }
  return sel;
}

bool LabelSelector::matches(const Json& labels) const {
  for (const auto& r : reqs_) {
    const Json* v = find(labels, r.key);
    std::string value = v && v->is_string() ? v->get<std::string>() : std::string();
    bool has = v != nullptr;
    bool in_values = false;
    for (const auto& x : r.values) in_values |= has && x == value;
    switch (r.op) {
      case Requirement::Exists:
        if (!has) return false;
        break;
      case Requirement::NotExists:
        if (has) return false;
        break;
      case Requirement::In:
        if (!in_values) return false;
        break;
      case Requirement::NotIn:
        if (in_values) return false;
        break;
      case Requirement::Gt:
      case Requirement::Lt: {
        if (!has || !is_integer(value)) return false;
        long long a = std::atoll(value.c_str()), b = std::atoll(r.values[0].c_str());
        if (r.op == Requirement::Gt ? !(a > b) : !(a < b)) return false;
        break;
      }
    }
  }
  return true;
}

Result<FieldSelector, std::string> FieldSelector::parse(std::string_view s, const std::vector<std::string>& allowed) {
  FieldSelector sel;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string_view term = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? s.size() + 1 : comma + 1;
    if (term.empty()) continue;
    Requirement r;
    size_t op;
    if ((op = term.find("!=")) != std::string_view::npos) {
      r.negate = true;
      r.field = term.substr(0, op);
      r.value = term.substr(op + 2);
    } else if ((op = term.find("==")) != std::string_view::npos) {
      r.field = term.substr(0, op);
      r.value = term.substr(op + 2);
    } else if ((op = term.find('=')) != std::string_view::npos) {
      r.field = term.substr(0, op);
      r.value = term.substr(op + 1);
    } else {
      return Failure("invalid selector: '" + std::string(s) + "'; can't understand '" + std::string(term) + "'");
    }
    bool ok = r.field == "metadata.name" || r.field == "metadata.namespace";
    for (const auto& a : allowed) ok |= a == r.field;
    if (!ok) return Failure("field label not supported: " + r.field);
    sel.reqs_.push_back(std::move(r));
  }
  return sel;
}

bool FieldSelector::matches(const Json& object) const {
  for (const auto& r : reqs_) {
    const Json* v = dotted(object, r.field);
    std::string value;
    if (v && v->is_string()) {
      value = v->get<std::string>();
    } else if (v && !v->is_null()) {
      value = v->dump();
    }
    if ((value == r.value) == r.negate) return false;
  }
  return true;
}

std::string label_selector_string(const Json& selector) {
  std::string out;
  auto add = [&](const std::string& term) { out += (out.empty() ? "" : ",") + term; };
  if (const Json* ml = find(selector, "matchLabels"); ml && ml->is_object()) {
    for (auto it = ml->begin(); it != ml->end(); ++it) {
      add(it.key() + "=" + (it.value().is_string() ? it.value().get<std::string>() : it.value().dump()));
    }
  }
  if (const Json* me = find(selector, "matchExpressions"); me && me->is_array()) {
    for (const auto& e : *me) {
      std::string key = string_at(e, {"key"}), op = string_at(e, {"operator"});
      std::string values;
      if (const Json* vs = find(e, "values"); vs && vs->is_array()) {
        for (const auto& v : *vs)
          values += (values.empty() ? "" : ",") + (v.is_string() ? v.get<std::string>() : v.dump());
      }
      if (op == "In") add(key + " in (" + values + ")");
      else if (op == "NotIn") add(key + " notin (" + values + ")");
      else if (op == "Exists") add(key);
      else if (op == "DoesNotExist") add("!" + key);
    }
  }
  return out;
}

}  // namespace sluice::test_apiserver
