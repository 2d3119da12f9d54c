// Fan-out into queues: filters, envelopes, raw delivery, FIFO order and dedup,
// independence of subscriptions, durability across restarts, the sweep.

#include <regex>
#include <set>

#include "runtime/storage/testing/faulty_store.h"
#include "runtime/topic/envelope.h"
#include "runtime/topic/tests/topic_fixture.h"

namespace sluice::topic::testing {
namespace {

using nlohmann::json;

MessageAttributes attrs(std::initializer_list<std::pair<std::string, std::string>> kv) {
  MessageAttributes out;
  for (const auto& [k, v] : kv) out[k] = MessageAttribute{"String", v};
  return out;
}

class FanoutTest : public TopicFixture {};

// The seed's example: one unfiltered queue, one premium-only, one US-only, and a
// body-scoped variant of the region filter.
TEST_F(FanoutTest, FiltersDecideWhoGetsWhat) {
  auto topic = create_topic("orders");
  auto all = create("all"), premium = create("premium"), us = create("us"), us_body = create("us-body");
  subscribe_ok(topic, "sqs", all->arn());
  subscribe_ok(topic, "sqs", premium->arn(), {{"FilterPolicy", R"({"orderType": ["premium"]})"}});
  subscribe_ok(topic, "sqs", us->arn(), {{"FilterPolicy", R"({"region": ["US"]})"}});
  subscribe_ok(topic, "sqs", us_body->arn(),
               {{"FilterPolicy", R"({"region": ["US"]})"}, {"FilterPolicyScope", "MessageBody"}});
  const std::vector<std::pair<std::string, MessageAttributes>> orders = {
      {R"({"id": 1, "region": "US"})", attrs({{"orderType", "premium"}, {"region", "US"}})},
      {R"({"id": 2, "region": "EU"})", attrs({{"orderType", "standard"}, {"region", "EU"}})},
      {R"({"id": 3, "region": "US"})", attrs({{"orderType", "standard"}, {"region", "US"}})},
      {R"({"id": 4, "region": "EU"})", attrs({{"orderType", "premium"}, {"region", "EU"}})},
  };
  for (const auto& [body, a] : orders) ASSERT_TRUE(publish(topic, message(body, a)).ok());
  auto ids = [&](const queue::QueuePtr& q) {
    std::vector<int> out;
    for (const auto& m : messages(q)) out.push_back(json::parse(m)["id"].get<int>());
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(ids(all), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(ids(premium), (std::vector<int>{1, 4}));
  EXPECT_EQ(ids(us), (std::vector<int>{1, 3}));
  EXPECT_EQ(ids(us_body), (std::vector<int>{1, 3}));
  auto subs = topic->subscriptions();
  uint64_t filtered = 0;
  for (const auto& s : subs) filtered += s->probe().filtered_out;
  EXPECT_EQ(filtered, 2u + 2u + 2u);
}

TEST_F(FanoutTest, EnvelopeCarriesWhatSnsSends) {
  auto topic = create_topic("t");
  auto q = create("q");
  const auto sub = subscribe_ok(topic, "sqs", q->arn());
  auto e = message("hello", attrs({{"kind", "greeting"}}));
  e.subject = "Greetings";
  auto out = publish(topic, e);
  ASSERT_TRUE(out.ok());
  auto b = bodies(q);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NE(b[0].find("\n  \"Type\" : \"Notification\""), std::string::npos) << b[0];  // SNS's layout
  auto env = json::parse(b[0]);
  EXPECT_EQ(env["Type"], "Notification");
  EXPECT_EQ(env["MessageId"], out->message_id);
  EXPECT_EQ(env["TopicArn"], topic->arn());
  EXPECT_EQ(env["Subject"], "Greetings");
  EXPECT_EQ(env["Message"], "hello");
  EXPECT_EQ(env["SignatureVersion"], "1");
  EXPECT_TRUE(env.contains("Signature"));
  EXPECT_EQ(env["SigningCertURL"].get<std::string>().rfind("http://sns.test:4566/SimpleNotificationService-", 0), 0u);
  EXPECT_NE(env["UnsubscribeURL"].get<std::string>().find("Action=Unsubscribe"), std::string::npos);
  EXPECT_EQ(env["MessageAttributes"]["kind"]["Type"], "String");
  EXPECT_EQ(env["MessageAttributes"]["kind"]["Value"], "greeting");
  EXPECT_TRUE(
      std::regex_match(env["Timestamp"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  (void)sub;
}

TEST_F(FanoutTest, RawDeliveryHandsOverTheMessageAndItsAttributes) {
  auto topic = create_topic("t");
  auto q = create("q");
  subscribe_ok(topic, "sqs", q->arn(), {{"RawMessageDelivery", "true"}});
  MessageAttributes a = attrs({{"kind", "x"}});
  a["tags"] = MessageAttribute{"String.Array", R"(["a","b"])"};
  a["n"] = MessageAttribute{"Number", "42"};
  ASSERT_TRUE(publish(topic, message("raw body", a)).ok());
  auto got = receive(q, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].blob.body, "raw body");
  EXPECT_EQ(got[0].blob.attributes.at("kind").value, "x");
  EXPECT_EQ(got[0].blob.attributes.at("n").data_type, "Number");
  EXPECT_EQ(got[0].blob.attributes.at("tags").data_type, "String.Array");  // a labelled String to SQS
  EXPECT_EQ(got[0].blob.attributes.at("tags").value, R"(["a","b"])");
}

TEST_F(FanoutTest, MessageStructureJsonGivesEachProtocolItsMessage) {
  auto topic = create_topic("t");
  auto q = create("q");
  subscribe_ok(topic, "sqs", q->arn());
  PublishEntry e = message("the default");
  e.structured = {{"default", "the default"}, {"sqs", "for queues"}};
  ASSERT_TRUE(publish(topic, e).ok());
  EXPECT_EQ(messages(q), std::vector<std::string>{"for queues"});
}

TEST_F(FanoutTest, FifoTopicKeepsGroupOrderAndDeduplicates) {
  auto topic = create_topic("ledger.fifo", {{"ContentBasedDeduplication", "true"}});
  auto q = create("ledger.fifo", {{"FifoQueue", "true"}});
  subscribe_ok(topic, "sqs", q->arn(), {{"RawMessageDelivery", "true"}});
  std::vector<PublishEntry> batch;
  for (int i = 0; i < 20; ++i) {
    PublishEntry e = message("entry-" + std::to_string(i));
    e.group_id = i % 2 ? "odd" : "even";
    batch.push_back(e);
  }
  auto results = publish_all(topic, batch);
  for (const auto& r : results) ASSERT_TRUE(r.ok());
  EXPECT_EQ(results[0]->sequence_number.size(), 20u);
  // The same body again within five minutes: the first one's answer, nothing new.
  PublishEntry again = message("entry-0");
  again.group_id = "even";
  auto dup = publish(topic, again);
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->message_id, results[0]->message_id);
  std::map<std::string, std::vector<int>> by_group;
  for (;;) {
    auto got = receive(q, 10);
    if (got.empty()) break;
    for (auto& m : got) {
      by_group[m.group_id].push_back(std::stoi(m.blob.body.substr(6)));
      ASSERT_TRUE(remove(q, m.receipt_handle).ok());
    }
  }
  EXPECT_EQ(by_group["even"], (std::vector<int>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18}));
  EXPECT_EQ(by_group["odd"], (std::vector<int>{1, 3, 5, 7, 9, 11, 13, 15, 17, 19}));
  // After the window the same body is a new message.
  clock.advance(limits::kDeduplicationIntervalMs + 1);
  auto later = publish(topic, again);
  ASSERT_TRUE(later.ok());
  EXPECT_NE(later->message_id, results[0]->message_id);
}

TEST_F(FanoutTest, FifoRulesAreChecked) {
  auto fifo = create_topic("a.fifo");
  auto standard = create_topic("b");
  auto r = publish(fifo, message("no group"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "MessageGroupId");
  PublishEntry e = message("no dedup id");
  e.group_id = "g";
  r = publish(fifo, e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "MessageDeduplicationId");
  PublishEntry d = message("x");
  d.deduplication_id = "d";
  r = publish(standard, d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "MessageDeduplicationId");
  auto fifo_queue = create("q.fifo", {{"FifoQueue", "true"}});
  auto s = subscribe(standard, "sqs", fifo_queue->arn());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "Endpoint");
  s = subscribe(fifo, "https", "https://example.com/hook");
  ASSERT_FALSE(s.ok());
}

TEST_F(FanoutTest, PublishLimits) {
  auto topic = create_topic("t");
  auto r = publish(topic, message(""));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "Message");
  r = publish(topic, message(std::string(limits::kMaxMessageBytes + 1, 'x')));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::too_large);
  EXPECT_TRUE(publish(topic, message(std::string(limits::kMaxMessageBytes, 'x'))).ok());
  PublishEntry s = message("x");
  s.subject = "line\nbreak";
  EXPECT_FALSE(publish(topic, s).ok());
  EXPECT_FALSE(publish(topic, message("x", {{"AWS.reserved", {"String", "v"}}})).ok());
  EXPECT_FALSE(publish(topic, message("x", {{"n", {"Number", "abc"}}})).ok());
  EXPECT_FALSE(publish(topic, message("x", {{"a", {"String.Array", "not json"}}})).ok());
  EXPECT_FALSE(publish(topic, message("x", {{"a", {"Blob", "v"}}})).ok());
  EXPECT_TRUE(publish(topic, message("x", {{"n", {"Number.int", "-1.5e3"}}})).ok());
}

TEST_F(FanoutTest, RefusedProtocolsSayWhy) {
  auto topic = create_topic("t");
  for (const char* p : {"email", "email-json", "sms", "application", "lambda", "firehose"}) {
    auto s = subscribe(topic, p, "x");
    ASSERT_FALSE(s.ok()) << p;
    EXPECT_EQ(s.error().field, "Protocol");
    EXPECT_NE(s.error().message.find("Sluice"), std::string::npos) << s.error().message;
  }
  EXPECT_FALSE(subscribe(topic, "sqs", "not-an-arn").ok());
  EXPECT_FALSE(subscribe(topic, "http", "https://mismatch").ok());
}

TEST_F(FanoutTest, SubscribeTwiceIsTheSameSubscription) {
  auto topic = create_topic("t");
  auto q = create("q");
  const auto a = subscribe_ok(topic, "sqs", q->arn());
  const auto b = subscribe_ok(topic, "sqs", q->arn());
  EXPECT_EQ(a, b);
  auto c = subscribe(topic, "sqs", q->arn(), {{"RawMessageDelivery", "true"}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, errc::already_exists);
}

// An endpoint that never answers holds up nobody else.
TEST_F(FanoutTest, ASlowSubscriptionDelaysNoOther) {
  auto topic = create_topic("t");
  auto q = create("q");
  const auto hook = subscribe(topic, "http", "http://slow.test/hook");
  ASSERT_TRUE(hook.ok());
  ASSERT_TRUE(hook->pending);
  auto confirmation = http.of_type("SubscriptionConfirmation");
  ASSERT_EQ(confirmation.size(), 1u);
  const auto token = json::parse(confirmation[0].body)["Token"].get<std::string>();
  ASSERT_TRUE((await<Result<SubscriptionView, Error>>(scheduler, [&](auto done) {
                topics->confirm(topic->arn(), token, false, done);
              })).ok());
  subscribe_ok(topic, "sqs", q->arn());
  http.hold = true;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(publish(topic, message("m" + std::to_string(i))).ok());
  EXPECT_EQ(bodies(q).size(), 100u);
  EXPECT_GT(topic->subscriptions().front()->oldest_pending_age_ms() + 1, 0);
  http.hold = false;
  http.release(200);
  scheduler.run_pending();
  EXPECT_EQ(http.of_type("Notification").size(), 100u);
}

TEST_F(FanoutTest, SubscriptionDeadLetterQueueGetsWhatAQueueRefused) {
  auto topic = create_topic("t");
  auto dlq = create("dlq");
  auto gone = create("gone");
  const std::string gone_arn = gone->arn();
  subscribe_ok(topic, "sqs", gone_arn, {{"RedrivePolicy", R"({"deadLetterTargetArn": ")" + dlq->arn() + "\"}"}});
  ASSERT_TRUE(delete_queue(queue::testing::kAccount, "gone", false).ok());
  ASSERT_TRUE(publish(topic, message("lost?")).ok());
  auto got = receive(dlq, 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(json::parse(got[0].blob.body)["Message"], "lost?");
  EXPECT_EQ(got[0].blob.attributes.at("ErrorCode").value, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_TRUE(got[0].blob.attributes.count("ErrorMessage"));
  EXPECT_TRUE(got[0].blob.attributes.count("RequestID"));
}

// Publish returns once stored; a restart resumes every pending delivery.
TEST_F(FanoutTest, RestartResumesPendingDeliveries) {
  auto topic = create_topic("t");
  const auto sub = subscribe_ok(topic, "http", "http://down.test/");
  auto token = json::parse(http.of_type("SubscriptionConfirmation").at(0).body)["Token"].get<std::string>();
  ASSERT_TRUE((await<Result<SubscriptionView, Error>>(scheduler, [&](auto done) {
                topics->confirm(topic->arn(), token, false, done);
              })).ok());
  http.reply = [](const HttpClientRequest&) { return 0; };  // down
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(publish(topic, message("m" + std::to_string(i))).ok());
  restart();
  http.requests.clear();
  http.reply = [](const HttpClientRequest&) { return 200; };
  advance_seconds(21);  // the recovered deliveries failed once more; the policy retries after 20 s
  std::set<std::string> got;
  for (const auto& r : http.of_type("Notification")) got.insert(json::parse(r.body)["Message"].get<std::string>());
  EXPECT_EQ(got, (std::set<std::string>{"m0", "m1", "m2", "m3", "m4"}));
  auto view = topics->subscription(topics->find(topic->arn())->subscriptions().at(0)->arn());
  ASSERT_TRUE(view);
  EXPECT_FALSE(view->pending);
}

// A subscriber down for long costs disk, not memory: what memory cannot hold is
// read back from the store, in order.
TEST_F(FanoutTest, ALaggingSubscriptionReadsWhatMemoryDroppedFromTheStore) {
  options.memory_bytes_per_topic = 1024;
  restart();
  auto topic = create_topic("t");
  ASSERT_TRUE(subscribe(topic, "http", "http://slow.test/").ok());
  auto token = json::parse(http.of_type("SubscriptionConfirmation").at(0).body)["Token"].get<std::string>();
  ASSERT_TRUE((await<Result<SubscriptionView, Error>>(scheduler, [&](auto done) {
                topics->confirm(topic->arn(), token, false, done);
              })).ok());
  http.reply = [](const HttpClientRequest&) { return 0; };  // down
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(publish(topic, message("message-" + std::to_string(i))).ok());
  EXPECT_GT(topic->end() - 200, 0u);
  http.requests.clear();
  http.reply = [](const HttpClientRequest&) { return 200; };
  advance_seconds(61);  // the failed first attempts are retried by the default policy
  std::set<std::string> got;
  for (const auto& r : http.of_type("Notification")) got.insert(json::parse(r.body)["Message"].get<std::string>());
  EXPECT_EQ(got.size(), 200u);
  EXPECT_EQ(topic->subscriptions().at(0)->cursor(), topic->end());
}

size_t stored_messages(storage::Store& store, const TopicPtr& topic) {
  size_t n = 0;
  store.scan(format::message_prefix(topic->uid()), [&](auto, auto) { return ++n, true; });
  return n;
}

// Caught-up SQS subscriptions take each publish into its own commit: every
// queue has its copy when Publish answers, and the topic's log holds nothing.
TEST_F(FanoutTest, CaughtUpQueuesGetTheirCopiesInThePublishCommit) {
  auto topic = create_topic("t");
  auto all = create("all"), only_x = create("only-x");
  subscribe_ok(topic, "sqs", all->arn(), {{"RawMessageDelivery", "true"}});
  subscribe_ok(topic, "sqs", only_x->arn(), {{"FilterPolicy", R"({"kind": ["x"]})"}});
  std::vector<PublishEntry> entries;
  for (int i = 0; i < 6; ++i) entries.push_back(message("m" + std::to_string(i), attrs({{"kind", i % 2 ? "x" : "y"}})));
  std::optional<std::vector<Result<PublishOutcome, Error>>> answer;
  size_t visible_at_answer = 0, filtered_visible_at_answer = 0;
  topics->publish(topic, std::move(entries), [&](auto r) {
    // When Publish answers, every caught-up queue already shows its copies.
    visible_at_answer = all->counts().visible;
    filtered_visible_at_answer = only_x->counts().visible;
    answer = std::move(r);
  });
  // With an in-memory store the commit completes inside publish(): nothing
  // scheduled has run.
  ASSERT_TRUE(answer.has_value());
  for (const auto& r : *answer) EXPECT_TRUE(r.ok());
  EXPECT_EQ(visible_at_answer, 6u);
  EXPECT_EQ(filtered_visible_at_answer, 3u);
  EXPECT_EQ(stored_messages(topic_store, topic), 0u);
  scheduler.run_pending();
  EXPECT_EQ(bodies(all), (std::vector<std::string>{"m0", "m1", "m2", "m3", "m4", "m5"}));
  EXPECT_EQ(messages(only_x), (std::vector<std::string>{"m1", "m3", "m5"}));
  for (const auto& s : topic->subscriptions()) EXPECT_EQ(s->cursor(), topic->end());
  EXPECT_EQ(topic->subscriptions()[1]->probe().filtered_out, 3u);
}

// A subscription that cannot take the publish at once (an HTTP endpoint that
// is down) has it from the log; the sweep removes it once everyone has it.
TEST_F(FanoutTest, TheLogKeepsWhatASubscriptionBehindNeedsUntilTheSweep) {
  auto topic = create_topic("t");
  auto q = create("q");
  subscribe_ok(topic, "sqs", q->arn());
  http.reply = [](const HttpClientRequest&) { return 200; };
  const auto endpoint = subscribe_ok(topic, "http", "http://h.test/");
  auto token = json::parse(http.of_type("SubscriptionConfirmation").at(0).body)["Token"].get<std::string>();
  ASSERT_TRUE((await<Result<SubscriptionView, Error>>(scheduler, [&](auto done) {
                topics->confirm(topic->arn(), token, false, done);
              })).ok());
  http.reply = [](const HttpClientRequest&) { return 503; };
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(publish(topic, message("m")).ok());
  EXPECT_EQ(stored_messages(topic_store, topic), 10u);
  EXPECT_EQ(bodies(q).size(), 10u);  // the queue did not wait for the endpoint
  http.reply = [](const HttpClientRequest&) { return 200; };
  advance_seconds(61);
  EXPECT_EQ(http.of_type("Notification").size() >= 10, true);
  clock.advance(TopicServiceOptions{}.sweep_interval_ms);
  scheduler.run_pending();
  EXPECT_EQ(stored_messages(topic_store, topic), 0u);
}

// A queue that refuses a copy (too large for it) sends that copy to the
// subscription's dead-letter queue, and the log keeps the message meanwhile.
TEST_F(FanoutTest, ACopyTheQueueRefusesGoesToTheDeadLetterQueue) {
  auto topic = create_topic("t");
  auto small = create("small", {{"MaximumMessageSize", "1024"}}), dlq = create("dlq");
  subscribe_ok(topic, "sqs", small->arn(),
               {{"RawMessageDelivery", "true"}, {"RedrivePolicy", json{{"deadLetterTargetArn", dlq->arn()}}.dump()}});
  ASSERT_TRUE(publish(topic, message(std::string(2000, 'x'))).ok());
  ASSERT_TRUE(publish(topic, message("fits")).ok());
  EXPECT_EQ(bodies(small), (std::vector<std::string>{"fits"}));
  EXPECT_EQ(bodies(dlq), (std::vector<std::string>{std::string(2000, 'x')}));
  EXPECT_EQ(topic->subscriptions()[0]->probe().dead_lettered, 1u);
}

// The queue copies are part of the publish's commit: when it fails, Publish
// fails and no queue has the message, not even for a moment.
TEST(WriteThrough, AFailedPublishLeavesNothingInTheQueues) {
  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::testing::FaultyStore store;
  storage::MemoryStore memory;
  queue::QueueService queues(queue::QueueServiceOptions{}, store, memory, clock, scheduler);
  DeliveryContext context;
  context.queues = &queues;
  TopicService topics(TopicServiceOptions{}, store, clock, scheduler, context);
  ASSERT_TRUE(topics.recover().ok());
  auto q = await<queue::Result<queue::QueuePtr>>(scheduler, [&](auto done) {
    queues.create_queue({queue::testing::kRegion, queue::testing::kAccount, "q"}, {}, {}, done);
  });
  ASSERT_TRUE(q.ok());
  auto topic = await<Result<TopicPtr, Error>>(scheduler, [&](auto done) {
    topics.create_topic({queue::testing::kRegion, queue::testing::kAccount, "t"}, {}, {}, "", done);
  });
  ASSERT_TRUE(topic.ok());
  ASSERT_TRUE((await<Result<SubscriptionView, Error>>(scheduler, [&](auto done) {
                topics.subscribe(*topic, SubscribeRequest{"sqs", (*q)->arn(), {}, queue::testing::kAccount}, done);
              })).ok());
  auto publish = [&](std::string body) {
    PublishEntry e;
    e.message = std::move(body);
    std::vector<PublishEntry> v{std::move(e)};
    auto r = await<std::vector<Result<PublishOutcome, Error>>>(
        scheduler, [&](auto done) { topics.publish(*topic, std::move(v), done); });
    scheduler.run_pending();
    return r.at(0);
  };
  store.fail_commits = true;
  auto failed = publish("lost");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, errc::storage_failure);
  EXPECT_EQ((*q)->counts().visible, 0u);
  store.fail_commits = false;
  ASSERT_TRUE(publish("kept").ok());
  EXPECT_EQ((*q)->counts().visible, 1u);
  EXPECT_EQ((*topic)->subscriptions().at(0)->cursor(), (*topic)->end());
  topics.stop();
}

TEST_F(FanoutTest, ArchiveReplaysToANewSubscription) {
  auto topic = create_topic(
      "audit.fifo", {{"ContentBasedDeduplication", "true"}, {"ArchivePolicy", R"({"MessageRetentionPeriod": "7"})"}});
  const TimeMs start = clock.now();
  for (int i = 0; i < 3; ++i) {
    PublishEntry e = message("old-" + std::to_string(i));
    e.group_id = "g";
    ASSERT_TRUE(publish(topic, e).ok());
  }
  clock.advance(3600'000);
  scheduler.run_pending();  // swept from memory: no subscription needed them
  auto q = create("replay.fifo", {{"FifoQueue", "true"}});
  const auto sub = subscribe_ok(topic, "sqs", q->arn(), {{"RawMessageDelivery", "true"}});
  EXPECT_TRUE(bodies(q).empty());
  const std::string policy = R"({"PointType": "Timestamp", "StartingPoint": ")" + iso8601(start) + "\"}";
  ASSERT_TRUE(await<Status<Error>>(scheduler, [&](auto done) {
                topics->set_subscription_attribute(sub, "ReplayPolicy", policy, done);
              }).ok());
  scheduler.run_pending();
  EXPECT_EQ(bodies(q), (std::vector<std::string>{"old-0", "old-1", "old-2"}));
}

}  // namespace
}  // namespace sluice::topic::testing
