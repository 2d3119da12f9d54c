// HTTP/S subscriptions: the confirmation handshake, SNS's headers, retries by
// the delivery policy, what counts as delivered, dead-lettering, throttling.

#include "runtime/topic/tests/topic_fixture.h"

namespace sluice::topic::testing {
namespace {

using nlohmann::json;

std::string header(const HttpClientRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

class HttpDeliveryTest : public TopicFixture {
 protected:
  // Subscribes `url` and confirms it with the token the endpoint received.
  std::string confirmed(const TopicPtr& topic, const std::string& url, StringPairs attributes = {}) {
    auto s = subscribe(topic, "http", url, std::move(attributes));
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    auto c = http.of_type("SubscriptionConfirmation");
    EXPECT_FALSE(c.empty());
    auto token = json::parse(c.back().body)["Token"].get<std::string>();
    auto v = await<Result<SubscriptionView, Error>>(
        scheduler, [&](auto done) { topics->confirm(topic->arn(), token, true, done); });
    EXPECT_TRUE(v.ok());
    http.requests.clear();
    return v.ok() ? v->arn : "";
  }
};

TEST_F(HttpDeliveryTest, ConfirmationHandshake) {
  auto topic = create_topic("t");
  auto s = subscribe(topic, "https", "https://hook.test/sns");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->pending);
  EXPECT_EQ(s->arn, "PendingConfirmation");
  auto c = http.of_type("SubscriptionConfirmation");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].url, "https://hook.test/sns");
  EXPECT_EQ(header(c[0], "x-amz-sns-topic-arn"), topic->arn());
  auto env = json::parse(c[0].body);
  EXPECT_EQ(env["Type"], "SubscriptionConfirmation");
  EXPECT_EQ(env["Token"].get<std::string>().size(), 128u);
  const std::string url = env["SubscribeURL"];
  EXPECT_NE(url.find("Action=ConfirmSubscription"), std::string::npos);
  EXPECT_NE(url.find("Token=" + env["Token"].get<std::string>()), std::string::npos);

  // Nothing is delivered before confirmation.
  ASSERT_TRUE(publish(topic, message("early")).ok());
  EXPECT_TRUE(http.of_type("Notification").empty());
  EXPECT_FALSE((await<Result<SubscriptionView, Error>>(scheduler, [&](auto done) {
                 topics->confirm(topic->arn(), "wrong", false, done);
               })).ok());
  auto v = await<Result<SubscriptionView, Error>>(
      scheduler, [&](auto done) { topics->confirm(topic->arn(), env["Token"], false, done); });
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->pending);
  ASSERT_TRUE(publish(topic, message("late")).ok());
  auto n = http.of_type("Notification");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(json::parse(n[0].body)["Message"], "late");
  // Visiting SubscribeURL again (the same token) still answers with the subscription.
  EXPECT_TRUE((await<Result<SubscriptionView, Error>>(scheduler, [&](auto done) {
                topics->confirm(topic->arn(), env["Token"], false, done);
              })).ok());
}

TEST_F(HttpDeliveryTest, TokensExpireAfterTwoDays) {
  auto topic = create_topic("t");
  ASSERT_TRUE(subscribe(topic, "http", "http://hook.test/").ok());
  auto token = json::parse(http.of_type("SubscriptionConfirmation").at(0).body)["Token"].get<std::string>();
  clock.advance(limits::kConfirmationTokenLifetimeMs + 1);
  auto v = await<Result<SubscriptionView, Error>>(
      scheduler, [&](auto done) { topics->confirm(topic->arn(), token, false, done); });
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, errc::expired);
}

TEST_F(HttpDeliveryTest, NotificationsCarrySnsHeaders) {
  auto topic = create_topic("t");
  const auto arn = confirmed(topic, "http://hook.test/a");
  ASSERT_TRUE(publish(topic, message("hi")).ok());
  auto n = http.of_type("Notification");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(header(n[0], "x-amz-sns-subscription-arn"), arn);
  EXPECT_EQ(header(n[0], "x-amz-sns-topic-arn"), topic->arn());
  EXPECT_EQ(header(n[0], "x-amz-sns-message-id"), json::parse(n[0].body)["MessageId"]);
  EXPECT_EQ(header(n[0], "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(header(n[0], "User-Agent"), "Amazon Simple Notification Service Agent");
}

TEST_F(HttpDeliveryTest, RawDeliveryAndContentType) {
  auto topic = create_topic("t");
  confirmed(topic, "http://hook.test/raw",
            {{"RawMessageDelivery", "true"},
             {"DeliveryPolicy", R"({"requestPolicy": {"headerContentType": "application/json"}})"}});
  ASSERT_TRUE(publish(topic, message(R"({"a":1})")).ok());
  auto n = http.of_type("Notification");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].body, R"({"a":1})");
  EXPECT_EQ(header(n[0], "x-amz-sns-rawdelivery"), "true");
  EXPECT_EQ(header(n[0], "Content-Type"), "application/json");
}

TEST_F(HttpDeliveryTest, RetriesFollowTheDeliveryPolicy) {
  auto topic = create_topic("t");
  confirmed(topic, "http://hook.test/flaky",
            {{"DeliveryPolicy", R"({"healthyRetryPolicy": {"numRetries": 3, "numNoDelayRetries": 1,
                "minDelayTarget": 5, "maxDelayTarget": 5}})"}});
  int calls = 0;
  http.reply = [&](const HttpClientRequest&) { return ++calls < 4 ? 503 : 200; };
  ASSERT_TRUE(publish(topic, message("m")).ok());
  EXPECT_EQ(calls, 2);  // the first attempt and the immediate retry
  advance_seconds(4);
  EXPECT_EQ(calls, 2);
  advance_seconds(1);
  EXPECT_EQ(calls, 3);
  advance_seconds(5);
  EXPECT_EQ(calls, 4);
  auto s = topic->subscriptions().at(0);
  EXPECT_EQ(s->probe().delivered, 1u);
  EXPECT_EQ(s->probe().retries, 3u);
  EXPECT_EQ(s->cursor(), topic->end());
}

TEST_F(HttpDeliveryTest, ClientErrorsCountAsDeliveredAsOnSns) {
  auto topic = create_topic("t");
  confirmed(topic, "http://hook.test/404");
  http.reply = [](const HttpClientRequest&) { return 404; };
  ASSERT_TRUE(publish(topic, message("m")).ok());
  EXPECT_EQ(http.of_type("Notification").size(), 1u);
  EXPECT_EQ(topic->subscriptions().at(0)->probe().delivered, 1u);
}

TEST_F(HttpDeliveryTest, SpentPolicyGoesToTheDeadLetterQueue) {
  auto topic = create_topic("t");
  auto dlq = create("hook-dlq");
  confirmed(topic, "http://hook.test/dead",
            {{"DeliveryPolicy", R"({"healthyRetryPolicy": {"numRetries": 2, "minDelayTarget": 1,
                "maxDelayTarget": 1}})"},
             {"RedrivePolicy", R"({"deadLetterTargetArn": ")" + dlq->arn() + "\"}"}});
  http.reply = [](const HttpClientRequest&) { return 0; };  // unreachable
  ASSERT_TRUE(publish(topic, message("never")).ok());
  EXPECT_TRUE(receive(dlq, 10).empty());
  advance_seconds(2);
  auto got = receive(dlq, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(json::parse(got[0].blob.body)["Message"], "never");
  EXPECT_EQ(got[0].blob.attributes.at("ErrorCode").value, "EndpointUnreachable");
  auto s = topic->subscriptions().at(0);
  EXPECT_EQ(s->probe().failed, 1u);
  EXPECT_EQ(s->probe().dead_lettered, 1u);
  EXPECT_EQ(http.of_type("Notification").size(), 3u);
}

TEST_F(HttpDeliveryTest, ThrottlePolicyBoundsTheRate) {
  auto topic = create_topic("t");
  confirmed(topic, "http://hook.test/slow", {{"DeliveryPolicy", R"({"throttlePolicy": {"maxReceivesPerSecond": 3}})"}});
  std::vector<PublishEntry> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(message("m" + std::to_string(i)));
  for (const auto& r : publish_all(topic, batch)) ASSERT_TRUE(r.ok());
  EXPECT_EQ(http.of_type("Notification").size(), 3u);
  advance_seconds(1);
  EXPECT_EQ(http.of_type("Notification").size(), 6u);
  advance_seconds(2);
  EXPECT_EQ(http.of_type("Notification").size(), 10u);
}

TEST_F(HttpDeliveryTest, UnsubscribeTellsTheEndpoint) {
  auto topic = create_topic("t");
  const auto arn = confirmed(topic, "http://hook.test/bye");
  ASSERT_TRUE(await<Status<Error>>(scheduler, [&](auto done) { topics->unsubscribe(arn, done); }).ok());
  scheduler.run_pending();
  auto u = http.of_type("UnsubscribeConfirmation");
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(json::parse(u[0].body)["Type"], "UnsubscribeConfirmation");
  EXPECT_FALSE(topics->subscription(arn));
  ASSERT_TRUE(publish(topic, message("after")).ok());
  EXPECT_TRUE(http.of_type("Notification").empty());
}

}  // namespace
}  // namespace sluice::topic::testing
