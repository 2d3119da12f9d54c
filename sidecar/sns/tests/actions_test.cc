// The action table and the model agree: every SNS operation has a handler, and
// every handler is an operation of the model; the model names SNS's wire.

#include "sidecar/sns/actions.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sluice::sns {
namespace {

TEST(Actions, EveryModelOperationHasAHandler) {
  const auto& model = sns_model();
  EXPECT_EQ(model.operations().size(), 42u);
  for (const auto& [name, op] : model.operations()) {
    auto a = std::find_if(actions().begin(), actions().end(), [&](auto& row) { return row.name == name; });
    ASSERT_NE(a, actions().end()) << name;
    EXPECT_NE(a->handler, nullptr) << name;
  }
  for (const auto& a : actions()) EXPECT_TRUE(model.operation(a.name)) << a.name;
  EXPECT_EQ(actions().size(), model.operations().size());
}

TEST(Actions, OnlySmsAndMobilePushAreRefused) {
  size_t refused = 0;
  for (const auto& a : actions()) {
    if (a.handler != not_supported) continue;
    ++refused;
    const std::string name(a.name);
    const bool sms_or_push = name.find("SMS") != std::string::npos || name.find("Phone") != std::string::npos ||
                             name.find("Platform") != std::string::npos || name.find("Endpoint") != std::string::npos ||
                             name.find("OriginationNumbers") != std::string::npos;
    EXPECT_TRUE(sms_or_push) << name << " is refused but is not an SMS or mobile push operation";
  }
  EXPECT_EQ(refused, 21u);
}

TEST(Actions, TheModelNamesTheWire) {
  const auto& model = sns_model();
  EXPECT_EQ(model.service(), "sns");
  EXPECT_EQ(model.signing_name(), "sns");
  EXPECT_EQ(model.api_version(), "2010-03-31");
  EXPECT_TRUE(model.speaks(protocol::Protocol::query));
  EXPECT_FALSE(model.speaks(protocol::Protocol::json));
  EXPECT_EQ(model.target_prefix(), "");
  EXPECT_EQ(model.xml_namespace(), "http://sns.amazonaws.com/doc/2010-03-31/");
  ASSERT_NE(model.operation("Publish"), nullptr);
  EXPECT_EQ(model.operation("Publish")->result_wrapper, "PublishResult");
}

}  // namespace
}  // namespace sluice::sns
