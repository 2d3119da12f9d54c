#include "runtime/topic/filter/policy_parser.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>

namespace sluice::topic::filter {
namespace {

// Ordered, so that the first mistake reported is the first one in the text and
// a key written twice keeps its last value, as AWS does.
using json = nlohmann::ordered_json;

Failure<std::string> refuse(std::string message) { return Failure<std::string>{std::move(message)}; }

constexpr std::string_view kOr = "$or";
constexpr std::string_view kTooComplex = "Filter policy is too complex";
constexpr std::string_view kOutOfRange = "Value must be between -1.0E9 and 1.0E9, inclusive";

// Field names that stop an "$or" array from being one (event-ruler's reserved
// words): {"$or": [{"numeric": 123}, {"prefix": "abc"}]} is a key named "$or".
constexpr std::array<std::string_view, 24> kReservedInOr = {"exactly",
                                                            "equals-ignore-case",
                                                            "prefix",
                                                            "suffix",
                                                            "anything-but",
                                                            "exists",
                                                            "wildcard",
                                                            "numeric",
                                                            "cidr",
                                                            "=",
                                                            "<",
                                                            "<=",
                                                            ">",
                                                            ">=",
                                                            "regex",
                                                            "not-wildcard",
                                                            "not-equals-ignore-case",
                                                            "date-after",
                                                            "date-on-or-after",
                                                            "date-before",
                                                            "date-on-or-before",
                                                            "in-date-range",
                                                            "ip-address-in-range",
                                                            "ip-address-not-in-range"};

// SNS reads "$or" as the operator only when it holds an array of at least two
// objects none of which uses a reserved word as a field name; otherwise it is
// an ordinary key.
bool is_or_group(const json& value) {
  if (!value.is_array() || value.size() < 2) return false;
  for (const json& branch : value) {
    if (!branch.is_object()) return false;
    for (const auto& [name, unused] : branch.items())
      if (std::find(kReservedInOr.begin(), kReservedInOr.end(), name) != kReservedInOr.end()) return false;
  }
  return true;
}

// Counts saturate well above every limit, so that no policy can overflow them.
constexpr int64_t kCountCap = 1'000'000;
int64_t times(int64_t a, int64_t b) { return std::min(a * b, kCountCap); }
int64_t plus(int64_t a, int64_t b) { return std::min(a + b, kCountCap); }

// How AWS names a token in its numeric messages: its JSON text.
std::string token_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) return "[";
  if (v.is_object()) return "{";
  return v.dump();
}

std::string lowered(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

Result<int64_t, std::string> policy_number(const json& v) {
  const auto n = scaled_number(v.dump());
  if (!n) return refuse(std::string(kOutOfRange));
  return *n;
}

Condition with_op(Condition::Op op, std::string text = {}) {
  Condition c;
  c.op = op;
  c.text = std::move(text);
  return c;
}

// The top-level keys of an object and its number of combinations.
struct Shape {
  int64_t combinations = 1;
  int64_t keys = 0;
};

// One policy's compilation: walks the parsed JSON once, writing into the
// caller's tree. Single use, on the calling thread.
class Compiler {
 public:
  explicit Compiler(FilterScope scope) : scope_(scope) {}

  // `depth` is 1 at the top and one more per nested object: the factor AWS
  // weighs a body-scope key's values with. `level` counts "$or" nesting as well;
  // each level adds at least one combination, so over 150 is too complex anyway.
  Status<std::string> object(const json& obj, int64_t depth, int64_t level, Node& into, Shape& shape) {
    if (level > kMaxCombinations) return refuse(std::string(kTooComplex));
    if (obj.empty()) return refuse("Empty objects are not allowed");
    for (const auto& [key, value] : obj.items()) {
      if (key == kOr && is_or_group(value)) {
        std::vector<Node> group;
        Shape branches{0, 0};
        for (const json& branch : value) {
          Shape s;
          if (auto st = object(branch, depth, level + 1, group.emplace_back(), s); !st) return st;
          branches.combinations = plus(branches.combinations, s.combinations);
          branches.keys = std::max(branches.keys, s.keys);
        }
        into.any_of.push_back(std::move(group));
        shape.combinations = times(shape.combinations, branches.combinations);
        shape.keys += branches.keys;
        continue;
      }
      ++shape.keys;
      if (value.is_object()) {
        // AWS reports what is wrong inside the nested object before the nesting itself.
        Shape inner;
        if (auto st = object(value, depth + 1, level + 1, node_at(into, key), inner); !st) return st;
        if (scope_ == FilterScope::message_attributes)
          return refuse("Filter policy scope MessageAttributes does not support nested filter policy");
        shape.combinations = times(shape.combinations, inner.combinations);
      } else if (value.is_array()) {
        auto compiled = conditions(value);
        if (!compiled) return Failure{compiled.error()};
        node_at(into, key).conditions = std::move(*compiled);
        shape.combinations = times(shape.combinations, times(depth, int64_t(value.size())));
      } else {
        return refuse("\"" + key + "\" must be an object or an array");
      }
    }
    return {};
  }

 private:
  // Attribute names are names; body keys are paths, split at '.'.
  Node& node_at(Node& from, const std::string& key) const {
    if (scope_ == FilterScope::message_attributes) return from.child(key);
    Node* at = &from;
    for (size_t start = 0;;) {
      const size_t dot = key.find('.', start);
      at = &at->child(key.substr(start, dot - start));
      if (dot == std::string::npos) return *at;
      start = dot + 1;
    }
  }

  Result<std::vector<Condition>, std::string> conditions(const json& values) {
    if (values.empty()) return refuse("Empty arrays are not allowed");
    std::vector<Condition> out;
    for (const json& v : values) {
      if (v.is_string()) {
        out.push_back(with_op(Condition::Op::exact_string, v.get<std::string>()));
      } else if (v.is_number()) {
        out.push_back(with_op(Condition::Op::exact_number, v.dump()));
        out.back().number = scaled_number(out.back().text);  // none for, say, an account number: text only
      } else if (v.is_boolean() || v.is_null()) {
        out.push_back(with_op(Condition::Op::exact_literal, v.dump()));
      } else if (v.is_object()) {
        auto c = expression(v);
        if (!c) return Failure{c.error()};
        out.push_back(std::move(*c));
      } else {
        return refuse("Match value must be String, number, true, false, or null");
      }
    }
    std::vector<const Wildcard*> patterns;
    for (const Condition& c : out) {
      if (c.op == Condition::Op::wildcard) patterns.push_back(&c.pattern);
      for (const Condition& x : c.excluded)
        if (x.op == Condition::Op::wildcard) patterns.push_back(&x.pattern);
    }
    if (!within_wildcard_complexity(patterns)) return refuse(std::string(kWildcardTooComplex));
    return out;
  }

  Result<Condition, std::string> expression(const json& obj) {
    if (obj.empty()) return refuse("Match expression name not found");
    const std::string& name = obj.begin().key();
    const json& operand = obj.begin().value();
    auto c = operand_of(name, operand);
    if (c && obj.size() > 1) return refuse("Only one key allowed in match expression");
    return c;
  }

  Result<Condition, std::string> operand_of(const std::string& name, const json& operand) {
    if (name == "prefix" || name == "suffix" || name == "equals-ignore-case") {
      if (!operand.is_string()) return refuse(name + " match pattern must be a string");
      if (name == "prefix") return with_op(Condition::Op::prefix, operand.get<std::string>());
      if (name == "suffix") return with_op(Condition::Op::suffix, operand.get<std::string>());
      return with_op(Condition::Op::equals_ignore_case, lowered(operand.get<std::string>()));
    }
    if (name == "wildcard") {
      if (!operand.is_string()) return refuse("wildcard match pattern must be a string");
      return wildcard(operand.get<std::string>());
    }
    if (name == "exists") {
      if (!operand.is_boolean()) return refuse("exists match pattern must be either true or false.");
      Condition c = with_op(Condition::Op::exists);
      c.present = operand.get<bool>();
      return c;
    }
    if (name == "numeric") return numeric(operand);
    if (name == "cidr") return cidr(operand);
    if (name == "anything-but") return anything_but(operand);
    return refuse("Unrecognized match type " + name);
  }

  static Result<Condition, std::string> wildcard(const std::string& text) {
    auto pattern = Wildcard::parse(text);
    if (!pattern) return Failure{pattern.error()};
    Condition c = with_op(Condition::Op::wildcard, text);
    c.pattern = std::move(*pattern);
    return c;
  }

  // [op, n] or a range [">"|">=", low, "<"|"<=", high]; AWS's messages at each step.
  static Result<Condition, std::string> numeric(const json& operand) {
    if (!operand.is_array()) return refuse("Value of numeric must be an array.");
    if (operand.empty()) return refuse("Invalid member in numeric match: ]");
    if (!operand[0].is_string()) return refuse("Invalid member in numeric match: " + token_text(operand[0]));
    const std::string op = operand[0].get<std::string>();
    if (op != "=" && op != "<" && op != "<=" && op != ">" && op != ">=")
      return refuse("Unrecognized numeric range operator: " + op);
    if (operand.size() < 2 || !operand[1].is_number())
      return refuse("Value of " + (op == "=" ? std::string("equals") : op) + " must be numeric");
    auto first = policy_number(operand[1]);
    if (!first) return Failure{first.error()};
    Condition c = with_op(Condition::Op::numeric);
    const Condition::Bound bound{*first, op != "<" && op != ">"};
    if (op == "=" || op[0] == '>') c.low = bound;
    if (op == "=" || op[0] == '<') c.high = bound;
    if (operand.size() == 2) return c;
    if (op[0] != '>') return refuse("Too many elements in numeric expression");
    if (!operand[2].is_string()) return refuse("Bad value in numeric range: " + token_text(operand[2]));
    const std::string top_op = operand[2].get<std::string>();
    if (top_op != "<" && top_op != "<=") return refuse("Bad numeric range operator: " + top_op);
    if (operand.size() < 4 || !operand[3].is_number()) return refuse("Value of " + top_op + " must be numeric");
    auto top = policy_number(operand[3]);
    if (!top) return Failure{top.error()};
    if (operand.size() > 4) return refuse("Too many terms in numeric range expression");
    if (*top <= *first) return refuse("Bottom must be less than top");
    c.high = Condition::Bound{*top, top_op == "<="};
    return c;
  }

  // "a.b.c.d/n" or an IPv6 literal with "/n". Like AWS, the range starts at the
  // address as written (10.0.0.5/24 is 10.0.0.5 to 10.0.0.255) and a mask must
  // be under 32 (IPv4) or 128 (IPv6) bits.
  static Result<Condition, std::string> cidr(const json& operand) {
    if (!operand.is_string()) return refuse("cidr match pattern must be a string");
    const std::string text = operand.get<std::string>();
    const size_t slash = text.find('/');
    if (slash == std::string::npos || slash + 1 == text.size() || text.find('/', slash + 1) != std::string::npos)
      return refuse("Malformed CIDR, one '/' required");
    std::string_view mask = std::string_view(text).substr(slash + 1);
    const bool negative = mask[0] == '-';
    if (mask[0] == '-' || mask[0] == '+') mask.remove_prefix(1);
    // As Java's Integer.parseInt, which AWS uses: a sign, then digits that fit 32 bits.
    const bool digits = std::all_of(mask.begin(), mask.end(), [](char d) { return d >= '0' && d <= '9'; });
    if (mask.empty() || mask.size() > 10 || !digits || std::stoll(std::string(mask)) > INT32_MAX)
      return refuse("Malformed CIDR, mask bits must be an integer");
    const int64_t bits = std::stoll(std::string(mask));
    if (negative && bits != 0) return refuse("Malformed CIDR, mask bits must not be negative");
    const std::string address = text.substr(0, slash);
    if (ip_shape(address) == IpShape::none) return refuse("Nonstandard IP address: " + address);
    const IpAddress ip = parse_ip(address);
    if (ip.size == 0) return refuse("Invalid IP address: " + address);
    if (ip.size == 4 && bits > 31) return refuse("IPv4 mask bits must be < 32");
    if (ip.size == 16 && bits > 127) return refuse("IPv6 mask bits must be < 128");
    Condition c = with_op(Condition::Op::cidr, text);
    c.range_low = c.range_high = ip;
    for (int64_t bit = bits; bit < ip.size * 8; ++bit) c.range_high.bytes[bit / 8] |= uint8_t(0x80 >> (bit % 8));
    return c;
  }

  static Result<Condition, std::string> anything_but(const json& operand) {
    Condition c = with_op(Condition::Op::anything_but);
    if (operand.is_object()) return anything_but_pattern(operand);
    if (operand.is_string()) {
      c.excluded.push_back(with_op(Condition::Op::exact_string, operand.get<std::string>()));
      return c;
    }
    if (operand.is_number()) {
      auto n = policy_number(operand);
      if (!n) return Failure{n.error()};
      c.excluded.push_back(with_op(Condition::Op::exact_number, operand.dump()));
      c.excluded.back().number = *n;
      c.numbers_excluded = true;
      return c;
    }
    if (!operand.is_array()) return refuse("Value of anything-but must be an array or single string/number value.");
    bool strings = false, numbers = false;
    for (const json& v : operand) {
      if (v.is_string()) {
        strings = true;
        c.excluded.push_back(with_op(Condition::Op::exact_string, v.get<std::string>()));
      } else if (v.is_number()) {
        numbers = true;
        auto n = policy_number(v);
        if (!n) return Failure{n.error()};
        c.excluded.push_back(with_op(Condition::Op::exact_number, v.dump()));
        c.excluded.back().number = *n;
      } else {
        return refuse("Inside anything but list, start|null|boolean is not supported.");
      }
    }
    if (strings == numbers)
      return refuse("Inside anything but list, either all values are number or string, mixed type is not supported");
    c.numbers_excluded = numbers;
    return c;
  }

  // {"anything-but": {"prefix" | "suffix" | "wildcard" | "equals-ignore-case": one string or a list}}
  static Result<Condition, std::string> anything_but_pattern(const json& obj) {
    if (obj.empty()) return refuse("Anything-But expression name not found");
    const std::string& name = obj.begin().key();
    const json& operand = obj.begin().value();
    std::string not_a_string = name + " match pattern must be a string";
    if (name == "equals-ignore-case")
      not_a_string = "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.";
    else if (name != "prefix" && name != "suffix" && name != "wildcard")
      return refuse("Unsupported anything-but pattern: " + name);
    if (operand.is_array() && operand.empty()) return refuse("Empty arrays are not allowed");
    Condition c = with_op(Condition::Op::anything_but);
    for (const json& v : operand.is_array() ? operand : json::array({operand})) {
      if (!v.is_string()) return refuse(not_a_string);
      const std::string text = v.get<std::string>();
      if (name == "wildcard") {
        auto w = wildcard(text);
        if (!w) return w;
        c.excluded.push_back(std::move(*w));
        continue;
      }
      if (text.empty() && name != "equals-ignore-case") return refuse("Null prefix/suffix not allowed");
      if (name == "prefix") c.excluded.push_back(with_op(Condition::Op::prefix, text));
      if (name == "suffix") c.excluded.push_back(with_op(Condition::Op::suffix, text));
      if (name == "equals-ignore-case") c.excluded.push_back(with_op(Condition::Op::equals_ignore_case, lowered(text)));
    }
    if (obj.size() > 1) return refuse("Only one key allowed in match expression");
    return c;
  }

  FilterScope scope_;
};

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, ..." without its tag.
std::string parse_error_text(const char* what) {
  std::string text = what;
  const size_t tag_end = text.find("] ");
  return tag_end == std::string::npos ? text : text.substr(tag_end + 2);
}

}  // namespace

Result<Node, std::string> parse_policy(std::string_view text, FilterScope scope) {
  if (text.size() > kMaxPolicyBytes) return refuse("Filter policy can not be larger than 256 KB");
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // the library's only way to say why; caught here, at its edge
    return refuse("failed to parse JSON. " + parse_error_text(e.what()));
  }
  if (!doc.is_object()) return refuse("Filter is not an object");
  Node root;
  if (doc.empty()) return root;
  Shape shape;
  if (auto st = Compiler(scope).object(doc, 1, 0, root, shape); !st) return Failure{st.error()};
  if (shape.keys > kMaxKeys) return refuse("Filter policy can not have more than 5 keys");
  if (shape.combinations > kMaxCombinations) return refuse(std::string(kTooComplex));
  return root;
}

}  // namespace sluice::topic::filter
