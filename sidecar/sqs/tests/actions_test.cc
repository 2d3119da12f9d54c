// The action table and the model agree: every SQS operation has a handler, and
// every handler is an operation of the model.

#include "sidecar/sqs/actions.h"

#include <gtest/gtest.h>

#include "sidecar/sqs/sqs_api.h"

namespace sluice::sqs {
namespace {

TEST(Actions, EveryModelOperationHasAHandler) {
  auto model = protocol::ServiceModel::parse(kSqsModelJson);
  EXPECT_EQ(model->operations().size(), 23u);
  for (const auto& [name, op] : model->operations()) {
    const Action* a = find_action(name);
    ASSERT_TRUE(a) << name;
    EXPECT_NE(a->handler, nullptr) << name;
  }
  for (const auto& a : actions()) EXPECT_TRUE(model->operation(a.name)) << a.name;
  EXPECT_EQ(actions().size(), model->operations().size());
}

}  // namespace
}  // namespace sluice::sqs
