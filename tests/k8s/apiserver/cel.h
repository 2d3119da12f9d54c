#pragma once
// A deliberately small evaluator for the CEL rules (x-kubernetes-validations) Sluice's
// CRDs use: field access on self/oldSelf, has(), size(), endsWith/startsWith/contains,
// ==, !=, <, <=, >, >=, &&, ||, !, + and - (numbers; + also strings), unary minus, ?:,
// indexing, and int/double/string/
// bool/null literals. Everything else fails to compile, and a CRD carrying such a rule
// is refused at registration: the test server never ignores a rule it cannot check.

#include <memory>
#include <string>
#include <string_view>

#include "runtime/common/result.h"
#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

struct Schema;
struct CelNode;

class CelProgram {
 public:
  ~CelProgram();
  // `self_schema` (may be null) lets field access be checked like the real type checker
  // does: an undeclared field is a compile error.
  static Result<std::shared_ptr<const CelProgram>, std::string> compile(std::string_view rule,
                                                                        const Schema* self_schema);
  // A transition rule references oldSelf and runs only on updates.
  bool uses_old_self() const { return uses_old_self_; }
  // The rule's value, or an evaluation error ("no such key: x").
  Result<bool, std::string> evaluate(const Json& self, const Json* old_self) const;

 private:
  CelProgram() = default;
  std::unique_ptr<CelNode> root_;
  bool uses_old_self_ = false;
};

}  // namespace sluice::test_apiserver
