// The Topic and Subscription kinds: spec validation from the field tables, and
// the bindings the admin API and manifests use.

#include "runtime/topic/spec.h"
#include "runtime/topic/tests/topic_fixture.h"
#include "runtime/topic/topic_resource.h"

namespace sluice::topic::testing {
namespace {

using resource::json;

resource::Placement here() { return {"shop", queue::testing::kRegion, queue::testing::kAccount, "http://sluice:4566"}; }

TEST(TopicKind, ValidatesSpecs) {
  const auto& k = topic_kind();
  EXPECT_TRUE(
      resource::validate(k, json::parse(R"({"displayName": "Orders", "signatureVersion": 2})"), "orders").empty());
  EXPECT_TRUE(resource::validate(k, json::parse(R"({"deliveryPolicy": {"http": {"defaultHealthyRetryPolicy":
      {"numRetries": 5}}}})"),
                                 "orders")
                  .empty());
  EXPECT_FALSE(resource::validate(k, json::parse(R"({"signatureVersion": 3})"), "orders").empty());
  EXPECT_FALSE(resource::validate(k, json::parse(R"({"tracingConfig": "Sometimes"})"), "orders").empty());
  EXPECT_FALSE(resource::validate(k, json::parse(R"({"contentBasedDeduplication": true})"), "orders").empty());
  EXPECT_TRUE(resource::validate(k, json::parse(R"({"contentBasedDeduplication": true})"), "ledger.fifo").empty());
  EXPECT_FALSE(resource::validate(k, json::parse(R"({"fifoTopic": true})"), "orders").empty());
  EXPECT_FALSE(resource::validate(k, json::parse(R"({"colour": "red"})"), "orders").empty());
}

TEST(SubscriptionKind, ValidatesSpecs) {
  const auto& k = subscription_kind();
  EXPECT_TRUE(resource::validate(k, json::parse(R"({"topic": "orders", "queue": "premium",
      "filterPolicy": {"orderType": ["premium"]}, "rawMessageDelivery": true})"),
                                 "s")
                  .empty());
  EXPECT_FALSE(resource::validate(k, json::parse(R"({"queue": "q"})"), "s").empty());  // no topic
  EXPECT_FALSE(resource::validate(k, json::parse(R"({"topic": "t", "queue": "q", "url": "http://x"})"), "s").empty());
  EXPECT_FALSE(resource::validate(k, json::parse(R"({"topic": "t", "url": "ftp://x"})"), "s").empty());
  EXPECT_FALSE(
      resource::validate(k, json::parse(R"({"topic": "t", "queue": "q", "deliveryPolicy": {}})"), "s").empty());
  auto refs = k.references(json::parse(R"({"topic": "orders", "queue": "q",
      "redrivePolicy": {"deadLetterTargetQueue": "dlq"}})"),
                           "s");
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].kind, "Topic");
  EXPECT_EQ(refs[2].name, "dlq");
}

class ResourcesTest : public TopicFixture {
 protected:
  TopicResources topic_resources{*topics};
  SubscriptionResources subscription_resources{*topics};

  json apply(resource::Binding& b, const std::string& name, const std::string& spec) {
    auto r =
        await<resource::StatusResult>(scheduler, [&](auto done) { b.apply(here(), name, json::parse(spec), done); });
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().field + ": " + r.error().message);
    return r.ok() ? *r : json();
  }
};

TEST_F(ResourcesTest, FanOutFromManifests) {
  auto q = create("premium");
  auto status = apply(topic_resources, "orders", R"({"displayName": "Orders"})");
  EXPECT_EQ(status["topicArn"], "arn:aws:sns:us-east-1:000000000000:orders");
  auto pending = [](std::string_view, std::string_view) -> const json* { return nullptr; };
  const json sub_spec = json::parse(
      R"({"topic": "orders", "queue": "premium", "rawMessageDelivery": true, "filterPolicy": {"tier": ["gold"]}})");
  EXPECT_TRUE(subscription_resources.check(here(), "premium-orders", sub_spec, pending).ok());
  auto s = apply(subscription_resources, "premium-orders", sub_spec.dump());
  EXPECT_EQ(s["protocol"], "sqs");
  EXPECT_EQ(s["endpoint"], q->arn());
  EXPECT_EQ(s["pendingConfirmation"], false);
  auto topic = topics->find(status["topicArn"].get<std::string>());
  ASSERT_TRUE(publish(topic, message("gold!", {{"tier", {"String", "gold"}}})).ok());
  ASSERT_TRUE(publish(topic, message("tin", {{"tier", {"String", "tin"}}})).ok());
  EXPECT_EQ(bodies(q), std::vector<std::string>{"gold!"});
  auto st = subscription_resources.status(here(), "premium-orders");
  ASSERT_TRUE(st);
  EXPECT_EQ((*st)["notificationsDelivered"], 1);
  EXPECT_EQ((*st)["notificationsFilteredOut"], 1);
  // Applying again with another filter updates the same subscription.
  auto again = apply(subscription_resources, "premium-orders",
                     R"({"topic": "orders", "queue": "premium", "rawMessageDelivery": true,
                         "filterPolicy": {"tier": ["tin"]}})");
  EXPECT_EQ(again["subscriptionArn"], s["subscriptionArn"]);
  ASSERT_TRUE(publish(topic, message("tin again", {{"tier", {"String", "tin"}}})).ok());
  EXPECT_EQ(bodies(q), std::vector<std::string>{"tin again"});
  EXPECT_EQ(topic_resources.list("").size(), 1u);
  EXPECT_EQ(subscription_resources.list("").size(), 1u);
  ASSERT_TRUE(await<Status<Error>>(scheduler, [&](auto done) {
                subscription_resources.remove(here(), "premium-orders", done);
              }).ok());
  EXPECT_FALSE(subscription_resources.status(here(), "premium-orders"));
  ASSERT_TRUE(await<Status<Error>>(scheduler, [&](auto done) { topic_resources.remove(here(), "orders", done); }).ok());
  EXPECT_FALSE(topic_resources.status(here(), "orders"));
}

TEST_F(ResourcesTest, ChecksRefuseWhatApplyWould) {
  auto pending = [](std::string_view kind, std::string_view name) -> const json* {
    static const json spec = json::object();
    return kind == "Topic" && name == "later" ? &spec : nullptr;
  };
  EXPECT_FALSE(
      subscription_resources.check(here(), "s", json::parse(R"({"topic": "nope", "queue": "q"})"), pending).ok());
  EXPECT_TRUE(
      subscription_resources.check(here(), "s", json::parse(R"({"topic": "later", "queue": "q"})"), pending).ok());
  apply(topic_resources, "t", "{}");
  EXPECT_FALSE(
      subscription_resources
          .check(here(), "s", json::parse(R"({"topic": "t", "queue": "q", "filterPolicy": {"a": "b"}})"), pending)
          .ok());
  EXPECT_FALSE(topic_resources.check(here(), "bad name", json::object(), pending).ok());
}

}  // namespace
}  // namespace sluice::topic::testing
