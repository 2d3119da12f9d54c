// A kind's field table validates specs as strictly as the CRD's structural
// schema would: types, bounds, enums, patterns, unknown and required fields,
// and the rules between fields, each error naming its field.

#include "runtime/common/resource.h"

#include <gtest/gtest.h>

namespace sluice::resource {
namespace {

using Type = Field::Type;

KindDef toy() {
  KindDef k;
  k.kind = "Toy";
  k.plural = "toys";
  k.name_field = "toyName";
  Field count{"count", Type::integer, "how many", 1, 10};
  Field mode{"mode", Type::string, "how"};
  mode.values = {"fast", "slow"};
  Field label{"label", Type::string, "a label"};
  label.pattern = "^[a-z]+$";
  label.max = 8;
  Field inner{"inner", Type::object, "nested"};
  inner.fields = {Field{"a", Type::boolean, "a"}, Field{"b", Type::boolean, "b"}};
  inner.fields[0].required = true;
  inner.rules.push_back({"!self.a || has(self.b)", "b is needed with a", "b", [](const json& self, std::string_view) {
                           return !self["a"].get<bool>() || self.contains("b");
                         }});
  Field list{"names", Type::list, "names"};
  list.max = 2;
  list.items = {Field{"", Type::string}};
  k.spec = {Field{"toyName", Type::string, "name"}, count, mode, label, inner, list};
  k.root_rules.push_back(
      {"cel", "count must be even for names ending in -even", "count", [](const json& spec, std::string_view name) {
         return name.size() < 5 || name.substr(name.size() - 5) != "-even" || !spec.contains("count") ||
                spec["count"].get<int>() % 2 == 0;
       }});
  return k;
}

std::set<std::string> fields_of(const std::vector<SpecError>& errors) {
  std::set<std::string> out;
  for (const auto& e : errors) out.insert(e.field);
  return out;
}

TEST(Resource, AValidSpecHasNoErrors) {
  EXPECT_TRUE(validate(toy(), json::parse(R"({"count": 3, "mode": "fast", "label": "abc",
      "inner": {"a": true, "b": false}, "names": ["x", "y"]})"),
                       "t")
                  .empty());
  EXPECT_TRUE(validate(toy(), json(), "t").empty()) << "no spec at all is an empty spec";
}

TEST(Resource, EveryErrorNamesItsField) {
  auto errors = validate(toy(), json::parse(R"({"count": "3", "mode": "medium", "label": "ABC",
      "inner": {"b": 1}, "names": ["x", "y", "z"], "bogus": 1})"),
                         "t");
  EXPECT_EQ(fields_of(errors), (std::set<std::string>{"spec.count", "spec.mode", "spec.label", "spec.inner.a",
                                                      "spec.inner.b", "spec.names", "spec.bogus"}))
      << describe(errors);
  auto range = validate(toy(), json::parse(R"({"count": 11})"), "t");
  ASSERT_EQ(range.size(), 1u);
  EXPECT_EQ(range[0].message, "must be an integer from 1 to 10");
  EXPECT_EQ(fields_of(validate(toy(), json::parse(R"({"label": "abcdefghi"})"), "t")),
            std::set<std::string>{"spec.label"});
  EXPECT_EQ(fields_of(validate(toy(), json::parse(R"([1])"), "t")), std::set<std::string>{"spec"});
}

TEST(Resource, RulesHoldBetweenFields) {
  EXPECT_EQ(fields_of(validate(toy(), json::parse(R"({"inner": {"a": true}})"), "t")),
            std::set<std::string>{"spec.inner.b"});
  EXPECT_EQ(fields_of(validate(toy(), json::parse(R"({"count": 3})"), "toy-even")),
            std::set<std::string>{"spec.count"});
  EXPECT_TRUE(validate(toy(), json::parse(R"({"count": 4})"), "toy-even").empty());
}

TEST(Resource, TheEngineNameIsTheNameFieldOrMetadataName) {
  EXPECT_EQ(toy().engine_name(json::parse(R"({"toyName": "Toy_1"})"), "toy-1"), "Toy_1");
  EXPECT_EQ(toy().engine_name(json::object(), "toy-1"), "toy-1");
}

}  // namespace
}  // namespace sluice::resource
