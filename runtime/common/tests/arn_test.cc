#include "runtime/common/arn.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(Arn, RoundTrips) {
  auto arn = parse_arn("arn:aws:sqs:us-east-1:000000000000:orders");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->service, "sqs");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account, "000000000000");
  EXPECT_EQ(arn->resource, "orders");
  EXPECT_EQ(arn->str(), "arn:aws:sqs:us-east-1:000000000000:orders");
}

TEST(Arn, ResourceMayContainColons) {
  auto arn = parse_arn("arn:aws:sns:us-east-1:123456789012:topic:sub-id");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->resource, "topic:sub-id");
}

TEST(Arn, RejectsMalformed) {
  EXPECT_FALSE(parse_arn("orders"));
  EXPECT_FALSE(parse_arn("arn:aws:sqs:us-east-1"));
  EXPECT_FALSE(parse_arn("urn:aws:sqs:r:a:q"));
  EXPECT_FALSE(parse_arn("arn:aws:sqs:r:a:"));
}

TEST(Account, NamespacesMapToStableTwelveDigitIds) {
  auto a = account_for_namespace("shop");
  EXPECT_TRUE(is_account_id(a));
  EXPECT_EQ(a, account_for_namespace("shop"));
  EXPECT_NE(a, account_for_namespace("billing"));
  EXPECT_FALSE(is_account_id("12345"));
  EXPECT_FALSE(is_account_id("12345678901a"));
}

}  // namespace
}  // namespace sluice
