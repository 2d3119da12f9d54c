// The action table and the model agree: every Kinesis operation has a handler,
// and the model names Kinesis's wire.

#include "sidecar/kinesis/actions.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sluice::kinesis {
namespace {

TEST(Actions, EveryModelOperationHasAHandler) {
  const auto& model = kinesis_model();
  EXPECT_EQ(model.operations().size(), 39u);
  for (const auto& [name, op] : model.operations()) {
    auto a = std::find_if(actions().begin(), actions().end(), [&](auto& row) { return row.name == name; });
    ASSERT_NE(a, actions().end()) << name;
  }
  for (const auto& a : actions()) EXPECT_TRUE(model.operation(a.name)) << a.name;
}

TEST(Actions, OnlyBillingCommitmentsAreRefused) {
  std::vector<std::string> refused;
  for (const auto& a : actions())
    if (a.handler == not_supported) refused.emplace_back(a.name);
  EXPECT_EQ(refused, (std::vector<std::string>{"UpdateAccountSettings", "UpdateStreamWarmThroughput"}));
}

TEST(Actions, TheModelNamesTheWire) {
  const auto& model = kinesis_model();
  EXPECT_EQ(model.signing_name(), "kinesis");
  EXPECT_EQ(model.target_prefix(), "Kinesis_20131202");
  EXPECT_EQ(model.json_version(), "1.1");
  EXPECT_TRUE(model.speaks(protocol::Protocol::json));
}

}  // namespace
}  // namespace sluice::kinesis
