#include "tests/k8s/apiserver/cel.h"

#include <cctype>
#include <vector>

#include "tests/k8s/apiserver/schema_validation.h"

namespace sluice::test_apiserver {

struct CelNode {
  enum Kind { Literal, Self, OldSelf, Field, Index, Has, Method, Size, Not, Negate, Binary, Conditional } kind;
  Json literal;
  std::string name;  // field, method or operator
  std::vector<std::unique_ptr<CelNode>> args;
};

CelProgram::~CelProgram() = default;

namespace {

struct Value {
  Json v;
  std::string error;
  bool ok() const { return error.empty(); }
};

Value err(std::string e) { return Value{Json(), std::move(e)}; }

// ---- lexer ----

struct Token {
  enum Kind { End, Ident, Int, Double, String, Op } kind = End;
  std::string text;
  Json value;
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  bool next(Token& t, std::string& error) {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    t = Token{};
    if (pos_ >= s_.size()) return true;
    char c = s_[pos_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      t.kind = Token::Ident;
      t.text = s_.substr(start, pos_ - start);
      if (pos_ < s_.size() && (s_[pos_] == '\'' || s_[pos_] == '"') &&
          (t.text == "r" || t.text == "b" || t.text == "R" || t.text == "B")) {
        error = "raw and bytes string literals are not supported";
        return false;
      }
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      bool is_double = false;
      if (pos_ + 1 < s_.size() && s_[pos_] == '.' && std::isdigit(static_cast<unsigned char>(s_[pos_ + 1]))) {
        is_double = true;
        ++pos_;
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      }
      if (pos_ < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[pos_])))) {
        error = "unsupported numeric literal suffix or hex/exponent form";
        return false;
      }
      std::string text(s_.substr(start, pos_ - start));
      t.kind = is_double ? Token::Double : Token::Int;
      t.text = text;
      if (is_double) {
        t.value = std::stod(text);
      } else {
        try {
          t.value = std::stoll(text);
        } catch (...) {
          error = "integer literal out of range: " + text;
          return false;
        }
      }
      return true;
    }
    if (c == '\'' || c == '"') {
      if (s_.substr(pos_, 3) == "'''" || s_.substr(pos_, 3) == "\"\"\"") {
        error = "triple-quoted strings are not supported";
        return false;
      }
      char q = c;
      ++pos_;
      std::string out;
      while (pos_ < s_.size() && s_[pos_] != q) {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
          char e = s_[pos_ + 1];
          switch (e) {
            case 'n':
              out += '\n';
              break;
            case 't':
              out += '\t';
              break;
            case '\\':
            case '\'':
            case '"':
              out += e;
              break;
            default:
              error = std::string("unsupported escape \\") + e;
              return false;
          }
          pos_ += 2;
        } else {
          out += s_[pos_++];
        }
      }
      if (pos_ >= s_.size()) {
        error = "unterminated string literal";
        return false;
      }
      ++pos_;
      t.kind = Token::String;
      t.value = out;
      return true;
    }
    static const char* kOps[] = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(",
                                 ")",  ".",  ",",  "[",  "]",  "?",  ":", "-", "+"};
    for (const char* op : kOps) {
      std::string_view o(op);
      if (s_.substr(pos_, o.size()) == o) {
        pos_ += o.size();
        t.kind = Token::Op;
        t.text = op;
        return true;
      }
    }
    error = std::string("unsupported character '") + c + "'";
    return false;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// ---- parser ----

class Parser {
 public:
  Parser(std::string_view text, const Schema* self_schema) : lex_(text), self_schema_(self_schema) {}

  std::unique_ptr<CelNode> parse_all(std::string& error, bool& uses_old_self) {
    if (!advance()) {
      error = error_;
      return nullptr;
    }
    auto node = expr();
    if (node && tok_.kind != Token::End) fail("unexpected '" + tok_.text + "'");
    if (!error_.empty()) {
      error = error_;
      return nullptr;
    }
    uses_old_self = uses_old_self_;
    return node;
  }

 private:
  Lexer lex_;
  Token tok_;
  std::string error_;
  const Schema* self_schema_;
  bool uses_old_self_ = false;

  bool advance() {
    std::string e;
    if (!lex_.next(tok_, e)) {
      fail(e);
      return false;
    }
    return true;
  }
  std::unique_ptr<CelNode> fail(std::string e) {
    if (error_.empty()) error_ = std::move(e);
    return nullptr;
  }
  bool is_op(const char* op) const { return tok_.kind == Token::Op && tok_.text == op; }
  bool expect(const char* op) {
    if (!is_op(op)) {
      fail(std::string("expected '") + op + "'");
      return false;
    }
    return advance();
  }
  static std::unique_ptr<CelNode> make(CelNode::Kind k) {
    auto n = std::make_unique<CelNode>();
    n->kind = k;
    return n;
  }

  std::unique_ptr<CelNode> expr() {
    auto cond = binary(0);
    if (!cond || !is_op("?")) return cond;
    advance();
    auto a = expr();
    if (!a || !expect(":")) return nullptr;
    auto b = expr();
    if (!b) return nullptr;
    auto n = make(CelNode::Conditional);
    n->args.push_back(std::move(cond));
    n->args.push_back(std::move(a));
    n->args.push_back(std::move(b));
    return n;
  }

  static int precedence(const Token& t) {
    if (t.kind == Token::Ident && t.text == "in") return 100;  // recognised only to refuse it
    if (t.kind != Token::Op) return -1;
    if (t.text == "||") return 1;
    if (t.text == "&&") return 2;
    if (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">=")
      return 3;
    if (t.text == "+" || t.text == "-") return 4;
    return -1;
  }

  std::unique_ptr<CelNode> binary(int min_prec) {
    auto lhs = unary();
    while (lhs) {
      int p = precedence(tok_);
      if (p == 100) return fail("the 'in' operator is not supported");
      if (p < 0 || p < min_prec) break;
      std::string op = tok_.text;
      if (!advance()) return nullptr;
      // Relations do not chain in CEL (a < b < c is an error); logic is left-associative.
      auto rhs = binary(p + 1);
      if (!rhs) return nullptr;
      auto n = make(CelNode::Binary);
      n->name = op;
      n->args.push_back(std::move(lhs));
      n->args.push_back(std::move(rhs));
      lhs = std::move(n);
    }
    return lhs;
  }

  std::unique_ptr<CelNode> unary() {
    if (is_op("!")) {
      advance();
      auto inner = unary();
      if (!inner) return nullptr;
      auto n = make(CelNode::Not);
      n->args.push_back(std::move(inner));
      return n;
    }
    if (is_op("-")) {
      advance();
      auto inner = unary();
      if (!inner) return nullptr;
      auto n = make(CelNode::Negate);
      n->args.push_back(std::move(inner));
      return n;
    }
    return member();
  }

  // Field access is checked against the schema of self when it is known.
  const Schema* child_schema(const Schema* s, const std::string& field) {
    if (!s) return nullptr;
    auto it = s->properties.find(field);
    if (it != s->properties.end()) return it->second.get();
    if (s->additional_properties) return s->additional_properties.get();
    if (s->preserve_unknown_fields || s->type.empty() || s->embedded_resource) return nullptr;
    if (s->type == "object") {
      fail("undefined field '" + field + "'");
    }
    return nullptr;
  }

  std::unique_ptr<CelNode> member() {
    const Schema* schema = nullptr;
    auto node = primary(schema);
    while (node) {
      if (is_op(".")) {
        if (!advance()) return nullptr;
        if (tok_.kind != Token::Ident) return fail("expected a field or method name after '.'");
        std::string name = tok_.text;
        advance();
        if (is_op("(")) {
          advance();
          auto n = make(CelNode::Method);
          n->name = name;
          n->args.push_back(std::move(node));
          if (!is_op(")")) {
            for (;;) {
              auto a = expr();
              if (!a) return nullptr;
              n->args.push_back(std::move(a));
              if (is_op(",")) {
                advance();
                continue;
              }
              break;
            }
          }
          if (!expect(")")) return nullptr;
          bool string_method = name == "endsWith" || name == "startsWith" || name == "contains";
          if (!(string_method && n->args.size() == 2) && !(name == "size" && n->args.size() == 1)) {
            return fail("function '" + name + "' with " + std::to_string(n->args.size() - 1) +
                        " argument(s) is not supported");
          }
          node = std::move(n);
          schema = nullptr;
        } else {
          schema = child_schema(schema, name);
          if (!error_.empty()) return nullptr;
          auto n = make(CelNode::Field);
          n->name = name;
          n->args.push_back(std::move(node));
          node = std::move(n);
        }
      } else if (is_op("[")) {
        advance();
        auto idx = expr();
        if (!idx || !expect("]")) return nullptr;
        auto n = make(CelNode::Index);
        n->args.push_back(std::move(node));
        n->args.push_back(std::move(idx));
        node = std::move(n);
        schema = schema && schema->items                   ? schema->items.get()
                 : schema && schema->additional_properties ? schema->additional_properties.get()
                                                           : nullptr;
      } else {
        break;
      }
    }
    return node;
  }

  std::unique_ptr<CelNode> primary(const Schema*& schema) {
    schema = nullptr;
    if (tok_.kind == Token::Int || tok_.kind == Token::Double || tok_.kind == Token::String) {
      auto n = make(CelNode::Literal);
      n->literal = tok_.value;
      advance();
      return n;
    }
    if (is_op("(")) {
      advance();
      auto n = expr();
      if (!n || !expect(")")) return nullptr;
      return n;
    }
    if (is_op("[") || is_op("{")) return fail("list and map literals are not supported");
    if (tok_.kind != Token::Ident)
      return fail(tok_.kind == Token::End ? "unexpected end of rule" : "unexpected '" + tok_.text + "'");
    std::string id = tok_.text;
    advance();
    if (id == "true" || id == "false") {
      auto n = make(CelNode::Literal);
      n->literal = id == "true";
      return n;
    }
    if (id == "null") return make(CelNode::Literal);
    if (id == "self") {
      schema = self_schema_;
      return make(CelNode::Self);
    }
    if (id == "oldSelf") {
      uses_old_self_ = true;
      schema = self_schema_;
      return make(CelNode::OldSelf);
    }
    if (id == "has" || id == "size") {
      if (!expect("(")) return nullptr;
      auto arg = expr();
      if (!arg || !expect(")")) return nullptr;
      if (id == "has" && arg->kind != CelNode::Field) return fail("has() needs a field selection such as has(self.x)");
      auto n = make(id == "has" ? CelNode::Has : CelNode::Size);
      n->args.push_back(std::move(arg));
      return n;
    }
    if (is_op("(")) return fail("function '" + id + "' is not supported");
    return fail("undeclared reference to '" + id + "' (only self and oldSelf are supported)");
  }
};

// ---- evaluation ----

bool is_number(const Json& v) { return v.is_number(); }

Value eval(const CelNode& n, const Json& self, const Json* old_self);

Value select(const Json& base, const std::string& field) {
  if (!base.is_object()) return err(std::string("no such key: ") + field);
  const Json* v = find(base, field);
  if (!v) return err("no such key: " + field);
  return Value{*v, {}};
}

Value compare(const std::string& op, const Json& a, const Json& b) {
  if (op == "==") return Value{a == b, {}};
  if (op == "!=") return Value{a != b, {}};
  int c;
  if (is_number(a) && is_number(b)) {
    double x = a.get<double>(), y = b.get<double>();
    if (a.is_number_integer() && b.is_number_integer()) {
      long long i = a.get<long long>(), j = b.get<long long>();
      c = i < j ? -1 : i > j ? 1 : 0;
    } else {
      c = x < y ? -1 : x > y ? 1 : 0;
    }
  } else if (a.is_string() && b.is_string()) {
    c = a.get<std::string>().compare(b.get<std::string>());
  } else if (a.is_boolean() && b.is_boolean()) {
    c = static_cast<int>(a.get<bool>()) - static_cast<int>(b.get<bool>());
  } else {
    return err(std::string("no such overload: ") + json_type_name(a) + " " + op + " " + json_type_name(b));
  }
  bool r = op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0;
  return Value{r, {}};
}

// int + int, double + double, string + string (and -, for numbers), as CEL types them.
Value arithmetic(const std::string& op, const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer())
    return Value{op == "+" ? a.get<long long>() + b.get<long long>() : a.get<long long>() - b.get<long long>(), {}};
  if (a.is_number_float() && b.is_number_float())
    return Value{op == "+" ? a.get<double>() + b.get<double>() : a.get<double>() - b.get<double>(), {}};
  if (op == "+" && a.is_string() && b.is_string()) return Value{a.get<std::string>() + b.get<std::string>(), {}};
  return err(std::string("no such overload: ") + json_type_name(a) + " " + op + " " + json_type_name(b));
}

Value eval(const CelNode& n, const Json& self, const Json* old_self) {
  switch (n.kind) {
    case CelNode::Literal:
      return Value{n.literal, {}};
    case CelNode::Self:
      return Value{self, {}};
    case CelNode::OldSelf:
      if (!old_self) return err("oldSelf is not available");
      return Value{*old_self, {}};
    case CelNode::Field: {
      Value base = eval(*n.args[0], self, old_self);
      if (!base.ok()) return base;
      return select(base.v, n.name);
    }
    case CelNode::Index: {
      Value base = eval(*n.args[0], self, old_self);
      if (!base.ok()) return base;
      Value idx = eval(*n.args[1], self, old_self);
      if (!idx.ok()) return idx;
      if (base.v.is_array() && idx.v.is_number_integer()) {
        long long i = idx.v.get<long long>();
        if (i < 0 || i >= static_cast<long long>(base.v.size()))
          return err("index out of bounds: " + std::to_string(i));
        return Value{base.v[static_cast<size_t>(i)], {}};
      }
      if (base.v.is_object() && idx.v.is_string()) return select(base.v, idx.v.get<std::string>());
      return err("no such overload: index");
    }
    case CelNode::Has: {
      const CelNode& field = *n.args[0];
      Value base = eval(*field.args[0], self, old_self);
      if (!base.ok()) return base;
      if (!base.v.is_object()) return err("no such overload: has() on " + std::string(json_type_name(base.v)));
      return Value{find(base.v, field.name) != nullptr, {}};
    }
    case CelNode::Size: {
      Value v = eval(*n.args[0], self, old_self);
      if (!v.ok()) return v;
      if (v.v.is_string()) {
        // CEL size() of a string counts code points.
        long long count = 0;
        for (unsigned char c : v.v.get<std::string>()) count += (c & 0xc0) != 0x80;
        return Value{count, {}};
      }
      if (v.v.is_array() || v.v.is_object()) return Value{static_cast<long long>(v.v.size()), {}};
      return err(std::string("no such overload: size(") + json_type_name(v.v) + ")");
    }
    case CelNode::Method: {
      Value target = eval(*n.args[0], self, old_self);
      if (!target.ok()) return target;
      if (n.name == "size") {
        if (target.v.is_string()) {
          long long count = 0;
          for (unsigned char c : target.v.get<std::string>()) count += (c & 0xc0) != 0x80;
          return Value{count, {}};
        }
        if (target.v.is_array() || target.v.is_object()) return Value{static_cast<long long>(target.v.size()), {}};
        return err("no such overload: size()");
      }
      Value arg = eval(*n.args[1], self, old_self);
      if (!arg.ok()) return arg;
      if (!target.v.is_string() || !arg.v.is_string()) return err("no such overload: " + n.name);
      const std::string s = target.v.get<std::string>(), a = arg.v.get<std::string>();
      if (n.name == "endsWith")
        return Value{s.size() >= a.size() && s.compare(s.size() - a.size(), a.size(), a) == 0, {}};
      if (n.name == "startsWith") return Value{s.rfind(a, 0) == 0, {}};
      return Value{s.find(a) != std::string::npos, {}};
    }
    case CelNode::Not: {
      Value v = eval(*n.args[0], self, old_self);
      if (!v.ok()) return v;
      if (!v.v.is_boolean()) return err("no such overload: !" + std::string(json_type_name(v.v)));
      return Value{!v.v.get<bool>(), {}};
    }
    case CelNode::Negate: {
      Value v = eval(*n.args[0], self, old_self);
      if (!v.ok()) return v;
      if (v.v.is_number_integer()) return Value{-v.v.get<long long>(), {}};
      if (v.v.is_number()) return Value{-v.v.get<double>(), {}};
      return err("no such overload: -" + std::string(json_type_name(v.v)));
    }
    case CelNode::Conditional: {
      Value c = eval(*n.args[0], self, old_self);
      if (!c.ok()) return c;
      if (!c.v.is_boolean()) return err("no such overload: ?: on " + std::string(json_type_name(c.v)));
      return eval(*n.args[c.v.get<bool>() ? 1 : 2], self, old_self);
    }
    case CelNode::Binary: {
      if (n.name == "&&" || n.name == "||") {
        // CEL's commutative logic: an error is absorbed by a deciding value on either side.
        bool decide = n.name == "||";
        Value a = eval(*n.args[0], self, old_self);
        if (a.ok() && a.v.is_boolean() && a.v.get<bool>() == decide) return Value{decide, {}};
        Value b = eval(*n.args[1], self, old_self);
        if (b.ok() && b.v.is_boolean() && b.v.get<bool>() == decide) return Value{decide, {}};
        if (!a.ok()) return a;
        if (!b.ok()) return b;
        if (!a.v.is_boolean() || !b.v.is_boolean()) return err("no such overload: " + n.name);
        return Value{!decide, {}};
      }
      Value a = eval(*n.args[0], self, old_self);
      if (!a.ok()) return a;
      Value b = eval(*n.args[1], self, old_self);
      if (!b.ok()) return b;
      if (n.name == "+" || n.name == "-") return arithmetic(n.name, a.v, b.v);
      return compare(n.name, a.v, b.v);
    }
  }
  return err("unreachable");
}

}  // namespace

Result<std::shared_ptr<const CelProgram>, std::string> CelProgram::compile(std::string_view rule,
                                                                           const Schema* self_schema) {
  Parser p(rule, self_schema);
  std::string error;
  bool uses_old = false;
  auto root = p.parse_all(error, uses_old);
  if (!root) return Failure(error);
  auto prog = std::shared_ptr<CelProgram>(new CelProgram());
  prog->root_ = std::move(root);
  prog->uses_old_self_ = uses_old;
  return std::shared_ptr<const CelProgram>(std::move(prog));
}

Result<bool, std::string> CelProgram::evaluate(const Json& self, const Json* old_self) const {
  Value v = eval(*root_, self, old_self);
  if (!v.ok()) return Failure(v.error);
  if (!v.v.is_boolean()) return Failure(std::string("rule evaluated to ") + json_type_name(v.v) + ", not bool");
  return v.v.get<bool>();
}

}  // namespace sluice::test_apiserver
