// The CEL subset: what it evaluates, and what it refuses to compile.
#include <gtest/gtest.h>

#include "tests/k8s/apiserver/cel.h"

namespace sluice::test_apiserver {
namespace {

Result<bool, std::string> eval(const char* rule, const char* self, const char* old = nullptr) {
  auto p = CelProgram::compile(rule, nullptr);
  if (!p.ok()) return Failure("compile: " + p.error());
  Json s = Json::parse(self);
  Json o = old ? Json::parse(old) : Json();
  return (*p)->evaluate(s, old ? &o : nullptr);
}

bool truth(const char* rule, const char* self, const char* old = nullptr) {
  auto r = eval(rule, self, old);
  EXPECT_TRUE(r.ok()) << rule << ": " << (r.ok() ? "" : r.error());
  return r.ok() && *r;
}

TEST(Cel, ComparisonsAndLogic) {
  const char* s = R"({"a":3,"b":"x.fifo","c":true,"d":2.5,"l":[1,2],"m":{"k":"v"}})";
  EXPECT_TRUE(truth("self.a == 3", s));
  EXPECT_TRUE(truth("self.a != 4 && self.a > 2 && self.a >= 3 && self.a < 4 && self.a <= 3", s));
  EXPECT_TRUE(truth("self.a > 5 || self.c", s));
  EXPECT_TRUE(truth("!(self.a == 4)", s));
  EXPECT_TRUE(truth("self.b.endsWith('.fifo') && self.b.startsWith(\"x\") && self.b.contains('.')", s));
  EXPECT_TRUE(truth("size(self.l) == 2 && self.l.size() == 2 && size(self.b) == 6 && size(self.m) == 1", s));
  EXPECT_TRUE(truth("has(self.a) && !has(self.z)", s));
  EXPECT_TRUE(truth("self.d > 2 && self.a > -1", s));
  EXPECT_TRUE(truth("self.l[1] == 2 && self.m['k'] == 'v'", s));
  EXPECT_TRUE(truth("self.c ? self.a == 3 : false", s));
  EXPECT_TRUE(truth("self.b < 'y' && 'abc' == 'abc' && true != false", s));
  EXPECT_TRUE(
      truth("size(self.l) + self.a == 5 && self.a - 1 == 2 && self.d + 0.5 == 3.0 && self.b + '!' == 'x.fifo!'", s));
  EXPECT_TRUE(truth("self.a - 1 - 1 == 1", s)) << "left-associative";
  EXPECT_FALSE(eval("self.a + self.d == 1", s).ok()) << "int + double has no overload in CEL";
}

TEST(Cel, TransitionRules) {
  EXPECT_TRUE(truth("self.name == oldSelf.name", R"({"name":"a"})", R"({"name":"a"})"));
  EXPECT_FALSE(truth("self.name == oldSelf.name", R"({"name":"b"})", R"({"name":"a"})"));
  auto p = CelProgram::compile("self.x == oldSelf.x", nullptr);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE((*p)->uses_old_self());
}

TEST(Cel, EvaluationErrorsAndAbsorption) {
  auto missing = eval("self.nope == 1", R"({"a":1})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), "no such key: nope");
  EXPECT_TRUE(truth("!has(self.nope) || self.nope == 1", R"({"a":1})"));
  EXPECT_TRUE(truth("self.nope == 1 || true", R"({"a":1})"));
  auto types = eval("self.a < 'x'", R"({"a":1})");
  ASSERT_FALSE(types.ok());
  auto not_bool = eval("self.a", R"({"a":1})");
  ASSERT_FALSE(not_bool.ok());
}

TEST(Cel, RefusesWhatItDoesNotImplement) {
  for (const char* rule :
       {"self.l.all(x, x > 0)", "self.l.exists(x, x == 1)", "self.a in [1, 2]", "self.s.matches('^a')",
        "int(self.s) == 1", "duration(self.d) > duration('1s')", "other.x == 1", "self.a == 0x1F", "'''x''' == self.s",
        "self.a *", "has(self)", "[1,2].size() == 2", "self.s.lowerAscii() == 'a'"}) {
    auto p = CelProgram::compile(rule, nullptr);
    EXPECT_FALSE(p.ok()) << rule << " compiled but must be refused";
  }
}

}  // namespace
}  // namespace sluice::test_apiserver
