// The action table and the model agree: every SQS operation has a handler, and
// every handler is an operation of the model.

#include "sidecar/sqs/actions.h"

#include <gtest/gtest.h>

namespace sluice::sqs {
namespace {

TEST(Actions, EveryModelOperationHasAHandler) {
  const auto& model = sqs_model();
  EXPECT_EQ(model.operations().size(), 23u);
  for (const auto& [name, op] : model.operations()) {
    auto a = std::find_if(actions().begin(), actions().end(), [&](auto& row) { return row.name == name; });
    ASSERT_NE(a, actions().end()) << name;
    EXPECT_NE(a->handler, nullptr) << name;
  }
  for (const auto& a : actions()) EXPECT_TRUE(model.operation(a.name)) << a.name;
  EXPECT_EQ(actions().size(), model.operations().size());
}

TEST(Actions, TheModelNamesTheWire) {
  const auto& model = sqs_model();
  EXPECT_EQ(model.signing_name(), "sqs");
  EXPECT_EQ(model.target_prefix(), "AmazonSQS");
  EXPECT_EQ(model.json_version(), "1.0");
  EXPECT_EQ(model.error_namespace(), "com.amazonaws.sqs#");
  EXPECT_TRUE(model.query_compatible());
  EXPECT_TRUE(model.speaks(protocol::Protocol::json));
  EXPECT_TRUE(model.speaks(protocol::Protocol::query));
  EXPECT_EQ(model.xml_namespace(), "http://queue.amazonaws.com/doc/2012-11-05/");
}

}  // namespace
}  // namespace sluice::sqs
