// YAML becomes JSON as the API server reads it: plain scalars are typed, quoted
// ones are strings, so a quoted number is refused by the schema as kubectl would.

#include "sidecar/manifests/yaml_json.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace sluice::manifests {
namespace {

TEST(YamlJson, PlainScalarsAreTypedQuotedOnesAreStrings) {
  auto j = to_json(YAML::Load(R"(
a: 30
b: "30"
c: true
d: 'false'
e: ~
f: 1.5
g: -7
h: text
i: [1, "2", yes]
j: {k: v}
k: 99999999999999999999999
)"));
  EXPECT_EQ(j["a"], 30);
  EXPECT_EQ(j["b"], "30");
  EXPECT_EQ(j["c"], true);
  EXPECT_EQ(j["d"], "false");
  EXPECT_TRUE(j["e"].is_null());
  EXPECT_EQ(j["f"], 1.5);
  EXPECT_EQ(j["g"], -7);
  EXPECT_EQ(j["h"], "text");
  EXPECT_EQ(j["i"], nlohmann::json::parse(R"([1, "2", "yes"])"));
  EXPECT_EQ(j["j"]["k"], "v");
  EXPECT_EQ(j["k"], "99999999999999999999999") << "too large for an integer: left as text for the schema to refuse";
}

}  // namespace
}  // namespace sluice::manifests
