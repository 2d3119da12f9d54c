// A QueueUrl resolves as AWS resolves it: by its path, whatever the host, or as
// a bare name of the caller's own queue; the region is the request's.

#include "sidecar/sqs/queue_lookup.h"

#include <gtest/gtest.h>

namespace sluice::sqs {
namespace {

aws::RequestContext ctx() {
  aws::RequestContext c;
  c.account = "111111111111";
  c.region = "eu-west-1";
  return c;
}

TEST(QueueLookup, OnlyThePathOfAUrlMatters) {
  for (const char* url :
       {"http://localhost:4566/000000000000/orders", "https://sqs.us-east-1.localhost:4566/000000000000/orders",
        "http://sqs.eu-west-1.amazonaws.com/000000000000/orders/", "/000000000000/orders"}) {
    auto key = parse_queue_url(url, ctx());
    ASSERT_TRUE(key) << url;
    EXPECT_EQ(key->account, "000000000000") << url;
    EXPECT_EQ(key->name, "orders") << url;
    EXPECT_EQ(key->region, "eu-west-1") << url;
  }
}

TEST(QueueLookup, ABareNameIsTheCallersOwnQueue) {
  auto key = parse_queue_url("orders", ctx());
  ASSERT_TRUE(key);
  EXPECT_EQ(key->account, "111111111111");
  EXPECT_EQ(key->name, "orders");
}

TEST(QueueLookup, WhatIsNotAQueueUrlIsRefused) {
  for (const char* url : {"", "http://localhost:4566", "http://localhost:4566/", "http://h/orders",
                          "http://h/abc/orders", "http://h/000000000000/", "http://h/a/000000000000/orders", "a/b"})
    EXPECT_FALSE(parse_queue_url(url, ctx())) << url;
}

}  // namespace
}  // namespace sluice::sqs
