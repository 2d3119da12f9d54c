// Standard-queue semantics: the life of a message, visibility, delays, retention,
// long polling, limits, purge, counts and fair queues. Time moves only when the
// test advances the ManualClock.

#include "runtime/queue/tests/queue_fixture.h"

#include "runtime/common/digest.h"

namespace sluice::queue::testing {
namespace {

class QueueTest : public QueueFixture {};

TEST_F(QueueTest, SentMessageIsReceivedWithItsDigestsAndSystemAttributes) {
  auto q = create("orders");
  SendEntry e = entry("hello world");
  e.attributes["city"] = {"String", "Any City"};
  e.attributes["population"] = {"Number", "1250800"};
  e.attributes["blob"] = {"Binary", std::string("\x00\x01\x02", 3)};
  e.system_attributes["AWSTraceHeader"] = {"String", "Root=1-5759e988-bd862e3fe1be46a994272793"};
  auto sent = send(q, e);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->message_id.size(), 36u);
  EXPECT_EQ(to_hex(sent->md5_body), "5eb63bbbe01eeed093cb22bb8f5acdc3");
  ASSERT_TRUE(sent->md5_attributes);
  EXPECT_EQ(to_hex(*sent->md5_attributes), "d56d7f52891254695bee0eddeb8079bc");
  ASSERT_TRUE(sent->md5_system_attributes);
  EXPECT_EQ(to_hex(*sent->md5_system_attributes), "62a56dd927315f2b2e12832b84617ea5");
  EXPECT_TRUE(sent->sequence_number.empty());

  const TimeMs sent_at = clock.now();
  clock.advance(1500);
  auto got = receive(q);
  ASSERT_EQ(got.size(), 1u);
  const auto& m = got[0];
  EXPECT_EQ(m.message_id, sent->message_id);
  EXPECT_EQ(m.blob.body, "hello world");
  EXPECT_EQ(m.blob.attributes, e.attributes);
  EXPECT_EQ(m.blob.md5_body, sent->md5_body);
  EXPECT_EQ(m.blob.md5_attributes, sent->md5_attributes);
  EXPECT_EQ(m.blob.trace_header, "Root=1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(m.blob.sender_id, "AIDAEXAMPLE");
  EXPECT_EQ(m.sent_ms, sent_at);
  EXPECT_EQ(m.first_receive_ms, sent_at + 1500);
  EXPECT_EQ(m.receive_count, 1u);
  EXPECT_FALSE(m.receipt_handle.empty());
}

TEST_F(QueueTest, ReceivedMessageStaysHiddenForTheVisibilityTimeout) {
  auto q = create("jobs", {{"VisibilityTimeout", "30"}});
  send_ok(q, "work");
  auto first = receive(q);
  ASSERT_EQ(first.size(), 1u);
  clock.advance(29'999);
  EXPECT_TRUE(receive(q).empty());
  clock.advance(1);
  auto again = receive(q);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2u);
  EXPECT_NE(again[0].receipt_handle, first[0].receipt_handle);
  EXPECT_EQ(again[0].first_receive_ms, first[0].first_receive_ms);
}

TEST_F(QueueTest, ReceiveVisibilityTimeoutOverridesTheQueueDefault) {
  auto q = create("jobs");
  send_ok(q, "work");
  ASSERT_EQ(receive(q, 1, 5).size(), 1u);
  clock.advance(5000);
  EXPECT_EQ(receive(q).size(), 1u);
}

TEST_F(QueueTest, DeleteWithTheLatestHandleRemovesTheMessage) {
  auto q = create("jobs", {{"VisibilityTimeout", "1"}});
  send_ok(q, "work");
  auto got = receive(q);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(remove(q, got[0].receipt_handle).ok());
  clock.advance(5000);
  EXPECT_TRUE(receive(q).empty());
  EXPECT_EQ(q->counts().visible + q->counts().inflight, 0u);
  EXPECT_EQ(q->probe().messages_deleted.load(), 1u);
}

TEST_F(QueueTest, DeleteWithAnOutdatedHandleSucceedsButKeepsTheMessage) {
  auto q = create("jobs", {{"VisibilityTimeout", "1"}});
  send_ok(q, "work");
  auto first = receive(q);
  clock.advance(1000);
  auto second = receive(q);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_TRUE(remove(q, first[0].receipt_handle).ok());
  EXPECT_EQ(q->counts().inflight, 1u);
  EXPECT_TRUE(remove(q, second[0].receipt_handle).ok());
  EXPECT_EQ(q->counts().inflight, 0u);
}

TEST_F(QueueTest, DeleteAfterVisibilityExpiredStillWorksIfNobodyReceivedItAgain) {
  auto q = create("jobs", {{"VisibilityTimeout", "1"}});
  send_ok(q, "work");
  auto got = receive(q);
  clock.advance(2000);
  EXPECT_EQ(q->counts().visible, 1u);
  EXPECT_TRUE(remove(q, got[0].receipt_handle).ok());
  EXPECT_EQ(q->counts().visible, 0u);
}

TEST_F(QueueTest, MalformedOrForeignReceiptHandlesAreInvalid) {
  auto a = create("a");
  auto b = create("b");
  send_ok(a, "x");
  auto got = receive(a);
  ASSERT_EQ(got.size(), 1u);
  auto garbage = remove(a, "not-a-handle");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, errc::invalid_argument);
  std::string tampered = got[0].receipt_handle;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(remove(a, tampered).error().code, errc::invalid_argument);
  EXPECT_EQ(remove(b, got[0].receipt_handle).error().code, errc::invalid_argument);
}

TEST_F(QueueTest, ChangeVisibilityExtendsOrReleasesAMessage) {
  auto q = create("jobs", {{"VisibilityTimeout", "10"}});
  send_ok(q, "work");
  auto got = receive(q);
  ASSERT_TRUE(change_visibility(q, got[0].receipt_handle, 60).ok());
  clock.advance(59'000);
  EXPECT_TRUE(receive(q).empty());
  clock.advance(1000);
  auto again = receive(q);
  ASSERT_EQ(again.size(), 1u);
  ASSERT_TRUE(change_visibility(q, again[0].receipt_handle, 0).ok());
  EXPECT_EQ(q->counts().visible, 1u);
  EXPECT_EQ(receive(q).size(), 1u);
}

TEST_F(QueueTest, ChangeVisibilityIsCappedAtTwelveHoursFromReceipt) {
  auto q = create("jobs", {{"VisibilityTimeout", "7200"}});
  send_ok(q, "work");
  auto got = receive(q);
  clock.advance(3600'000);
  auto over = change_visibility(q, got[0].receipt_handle, 43'200);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, errc::invalid_argument);
  EXPECT_TRUE(change_visibility(q, got[0].receipt_handle, 39'600).ok());
  auto range = change_visibility(q, got[0].receipt_handle, 43'201);
  EXPECT_EQ(range.error().code, errc::invalid_argument);
}

TEST_F(QueueTest, AnEarlierHandleChangesTheVisibilityOfAMessageReceivedAgain) {
  auto q = create("jobs", {{"VisibilityTimeout", "1"}});
  send_ok(q, "work");
  auto first = receive(q);
  clock.advance(1000);
  auto second = receive(q);
  ASSERT_EQ(second.size(), 1u);
  ASSERT_TRUE(change_visibility(q, first[0].receipt_handle, 60).ok());
  clock.advance(30'000);
  EXPECT_TRUE(receive(q).empty());  // hidden for 60 s, not the 1 s of the second receive
  EXPECT_EQ(q->counts().inflight, 1u);
  clock.advance(30'000);
  EXPECT_EQ(receive(q).size(), 1u);
}

TEST_F(QueueTest, TheLatestHandleHidesAMessageWhoseTimeoutExpired) {
  auto q = create("jobs", {{"VisibilityTimeout", "1"}});
  send_ok(q, "work");
  auto got = receive(q);
  clock.advance(1000);
  EXPECT_EQ(q->counts().visible, 1u);
  ASSERT_TRUE(change_visibility(q, got[0].receipt_handle, 30).ok());
  EXPECT_EQ(q->counts().visible, 0u);
  EXPECT_EQ(q->counts().inflight, 1u);
  EXPECT_TRUE(receive(q).empty());
  clock.advance(30'000);
  auto again = receive(q);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2u);
  // Received again since: the first handle no longer hides it once it is visible.
  clock.advance(1000);
  auto stale = change_visibility(q, got[0].receipt_handle, 30);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, errc::not_found);
  EXPECT_EQ(stale.error().field, "ReceiptHandle");
  EXPECT_EQ(q->counts().visible, 1u);
}

TEST_F(QueueTest, ChangeVisibilityOfADeletedMessageFails) {
  auto q = create("jobs");
  send_ok(q, "work");
  auto got = receive(q);
  ASSERT_TRUE(remove(q, got[0].receipt_handle).ok());
  auto s = change_visibility(q, got[0].receipt_handle, 30);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, errc::not_found);
  EXPECT_EQ(s.error().field, "ReceiptHandle");
}

TEST_F(QueueTest, QueueDelayHidesNewMessages) {
  auto q = create("later", {{"DelaySeconds", "10"}});
  send_ok(q, "x");
  EXPECT_EQ(q->counts().delayed, 1u);
  EXPECT_TRUE(receive(q).empty());
  clock.advance(10'000);
  EXPECT_EQ(q->counts().delayed, 0u);
  EXPECT_EQ(receive(q).size(), 1u);
}

TEST_F(QueueTest, MessageDelayOverridesTheQueueDelay) {
  auto q = create("later", {{"DelaySeconds", "60"}});
  SendEntry e = entry("now");
  e.delay_seconds = 0;
  ASSERT_TRUE(send(q, e).ok());
  SendEntry f = entry("soon");
  f.delay_seconds = 5;
  ASSERT_TRUE(send(q, f).ok());
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"now"});
  clock.advance(5000);
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"soon"});
  SendEntry bad = entry("x");
  bad.delay_seconds = 901;
  EXPECT_EQ(send(q, bad).error().code, errc::invalid_argument);
}

TEST_F(QueueTest, RetentionPeriodDeletesOldMessages) {
  auto q = create("short", {{"MessageRetentionPeriod", "60"}});
  send_ok(q, "old");
  clock.advance(30'000);
  send_ok(q, "young");
  clock.advance(30'000);
  auto c = q->counts();
  EXPECT_EQ(c.visible, 1u);
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"young"});
  EXPECT_EQ(q->probe().messages_expired.load(), 1u);
  // The store forgets expired messages too.
  EXPECT_EQ(durable.size(), 1u + 2u);  // queue record + meta + blob of "young"
}

TEST_F(QueueTest, ShorterRetentionAppliesToMessagesAlreadyQueued) {
  auto q = create("q");
  send_ok(q, "x");
  ASSERT_TRUE(set_attributes(q, {{"MessageRetentionPeriod", "60"}}).ok());
  clock.advance(60'000);
  EXPECT_EQ(q->counts().visible, 0u);
}

TEST_F(QueueTest, AgeOfOldestMessageFollowsTheQueue) {
  auto q = create("q");
  EXPECT_EQ(q->counts().oldest_sent_ms, 0);
  const TimeMs t0 = clock.now();
  send_ok(q, "a");
  clock.advance(1000);
  send_ok(q, "b");
  EXPECT_EQ(q->counts().oldest_sent_ms, t0);
}

TEST_F(QueueTest, LongPollReturnsAsSoonAsAMessageArrives) {
  auto q = create("q");
  ReceiveRequest req;
  req.wait_seconds = 20;
  auto slot = start_receive(q, req);
  EXPECT_FALSE(slot->has_value());
  clock.advance(3000);
  EXPECT_FALSE(slot->has_value());
  send_ok(q, "ping");
  ASSERT_TRUE(slot->has_value());
  ASSERT_TRUE((*slot)->ok());
  EXPECT_EQ(bodies(***slot), std::vector<std::string>{"ping"});
}

TEST_F(QueueTest, LongPollEndsEmptyAfterTheWaitTime) {
  auto q = create("q");
  ReceiveRequest req;
  req.wait_seconds = 20;
  auto slot = start_receive(q, req);
  scheduler.advance(19'999);
  EXPECT_FALSE(slot->has_value());
  scheduler.advance(1);
  ASSERT_TRUE(slot->has_value());
  EXPECT_TRUE((**slot)->empty());
  EXPECT_EQ(q->probe().empty_receives.load(), 1u);
}

TEST_F(QueueTest, QueueWaitTimeAppliesWhenTheRequestHasNone) {
  auto q = create("q", {{"ReceiveMessageWaitTimeSeconds", "5"}});
  auto slot = start_receive(q, ReceiveRequest{});
  EXPECT_FALSE(slot->has_value());
  scheduler.advance(5000);
  EXPECT_TRUE(slot->has_value());
}

TEST_F(QueueTest, LongPollWakesWhenADelayedOrHiddenMessageBecomesVisible) {
  auto q = create("q", {{"VisibilityTimeout", "3"}});
  SendEntry e = entry("later");
  e.delay_seconds = 2;
  ASSERT_TRUE(send(q, e).ok());
  ReceiveRequest req;
  req.wait_seconds = 20;
  auto slot = start_receive(q, req);
  scheduler.advance(1999);
  EXPECT_FALSE(slot->has_value());
  scheduler.advance(1);
  ASSERT_TRUE(slot->has_value());
  ASSERT_EQ((**slot)->size(), 1u);

  auto second = start_receive(q, req);  // the message is in flight for 3 s
  scheduler.advance(2999);
  EXPECT_FALSE(second->has_value());
  scheduler.advance(1);
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((**second)->size(), 1u);
}

TEST_F(QueueTest, WaitersAreServedInArrivalOrder) {
  auto q = create("q");
  ReceiveRequest req;
  req.wait_seconds = 20;
  auto first = start_receive(q, req);
  auto second = start_receive(q, req);
  send_ok(q, "one");
  EXPECT_TRUE(first->has_value());
  EXPECT_FALSE(second->has_value());
  send_ok(q, "two");
  EXPECT_TRUE(second->has_value());
}

TEST_F(QueueTest, ReceiveParametersAreRangeChecked) {
  auto q = create("q");
  for (int bad : {0, 11}) {
    ReceiveRequest req;
    req.max_messages = bad;
    auto slot = start_receive(q, req);
    ASSERT_TRUE(slot->has_value());
    EXPECT_EQ((*slot)->error().code, errc::invalid_argument);
  }
  ReceiveRequest wait;
  wait.wait_seconds = 21;
  EXPECT_EQ((*start_receive(q, wait))->error().code, errc::invalid_argument);
  ReceiveRequest vis;
  vis.visibility_timeout = 43'201;
  EXPECT_EQ((*start_receive(q, vis))->error().code, errc::invalid_argument);
}

TEST_F(QueueTest, ReceiveReturnsUpToTenMessagesOldestFirst) {
  auto q = create("q");
  std::vector<SendEntry> batch;
  for (int i = 0; i < 12; ++i) batch.push_back(entry("m" + std::to_string(i)));
  for (auto& r : send_all(q, std::move(batch))) ASSERT_TRUE(r.ok());
  auto got = receive(q, 10);
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(got[0].blob.body, "m0");
  EXPECT_EQ(got[9].blob.body, "m9");
  EXPECT_EQ(receive(q, 10).size(), 2u);
}

TEST_F(QueueTest, MessageSizeLimitCountsBodyAndAttributes) {
  auto q = create("q");
  EXPECT_TRUE(send(q, entry(std::string(1'048'576, 'a'))).ok());
  auto over = send(q, entry(std::string(1'048'577, 'a')));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, errc::too_large);
  SendEntry e = entry(std::string(1'048'576 - 10, 'a'));
  e.attributes["k"] = {"String", "0123456789"};  // 1 + 6 + 10 bytes: 7 over
  EXPECT_EQ(send(q, e).error().code, errc::too_large);

  auto small = create("small", {{"MaximumMessageSize", "1024"}});
  EXPECT_TRUE(send(small, entry(std::string(1024, 'a'))).ok());
  EXPECT_FALSE(send(small, entry(std::string(1025, 'a'))).ok());
}

TEST_F(QueueTest, BodiesMustBeNonEmptyAndUseTheAllowedCharacters) {
  auto q = create("q");
  EXPECT_EQ(send(q, entry("")).error().code, errc::missing_argument);
  EXPECT_EQ(send(q, entry(std::string("a\x01", 2))).error().code, errc::invalid_argument);
  EXPECT_EQ(q->counts().visible, 0u);
}

TEST_F(QueueTest, AttributesAreValidated) {
  auto q = create("q");
  auto with = [&](std::string name, std::string type, std::string value) {
    SendEntry e = entry("x");
    e.attributes[name] = {type, value};
    return send(q, e);
  };
  EXPECT_TRUE(with("price", "Number.usd", "-12.5e3").ok());
  EXPECT_FALSE(with("AWS.reserved", "String", "x").ok());
  EXPECT_FALSE(with("amazon.reserved", "String", "x").ok());
  EXPECT_FALSE(with("trailing.", "String", "x").ok());
  // Unicode letters and digits are name characters; spaces, punctuation and symbols are not.
  for (const char* name : {"pr\u00e9nom", "\u540d\u524d", "\u0395\u03bb\u03bb\u03ac\u03b4\u03b1", "\u0661\u0662"})
    EXPECT_TRUE(with(name, "String", "x").ok()) << name;
  for (const char* name : {"a b", "a\u00a0b", "a\u2028b", "price\u20ac", "a\u3000b", "a\ue000", "a\u00d7b", "caf\xc3"})
    EXPECT_FALSE(with(name, "String", "x").ok()) << name;
  // Values: control characters are refused, tab, newline and carriage return are not.
  auto bad_value = with("n", "String", std::string("a\x01b"));
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.error().code, errc::invalid_argument);
  EXPECT_EQ(bad_value.error().field, "MessageAttributes.n");
  EXPECT_TRUE(with("n", "String", "a\tb\r\n").ok());
  EXPECT_FALSE(with("bad..name", "String", "x").ok());
  EXPECT_FALSE(with(".lead", "String", "x").ok());
  EXPECT_FALSE(with("n", "Integer", "1").ok());
  EXPECT_FALSE(with("n", "String.", "1").ok());
  EXPECT_FALSE(with("n", "Number", "12abc").ok());
  EXPECT_FALSE(with("n", "Number", std::string(39, '9')).ok());
  EXPECT_FALSE(with("n", "String", "").ok());
  SendEntry many = entry("x");
  for (int i = 0; i < 11; ++i) many.attributes["a" + std::to_string(i)] = {"String", "v"};
  EXPECT_EQ(send(q, many).error().code, errc::limit_exceeded);
  SendEntry sys = entry("x");
  sys.system_attributes["Other"] = {"String", "v"};
  EXPECT_FALSE(send(q, sys).ok());
}

TEST_F(QueueTest, StandardQueuesRejectDeduplicationIds) {
  auto q = create("q");
  EXPECT_EQ(send(q, entry("x", "", "d1")).error().code, errc::invalid_argument);
}

TEST_F(QueueTest, BatchEntriesSucceedOrFailOnTheirOwn) {
  auto q = create("q");
  std::vector<SendEntry> batch;
  batch.push_back(entry("ok"));
  batch.push_back(entry(""));
  batch.push_back(entry("also ok"));
  auto results = send_all(q, std::move(batch));
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(results[2].ok());
  EXPECT_EQ(q->counts().visible, 2u);
}

TEST_F(QueueTest, PurgeDeletesEverythingOncePerMinute) {
  auto q = create("q");
  for (int i = 0; i < 5; ++i) send_ok(q, "m");
  receive(q, 2);
  ASSERT_TRUE(purge(q).ok());
  auto c = q->counts();
  EXPECT_EQ(c.visible + c.inflight + c.delayed, 0u);
  clock.advance(59'000);
  auto again = purge(q);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, errc::state_conflict);
  clock.advance(1000);
  EXPECT_TRUE(purge(q).ok());
  EXPECT_EQ(durable.size(), 1u);  // only the queue record is left
}

TEST_F(QueueTest, CountsFollowEachState) {
  auto q = create("q");
  send_ok(q, "a");
  send_ok(q, "b");
  SendEntry d = entry("c");
  d.delay_seconds = 30;
  ASSERT_TRUE(send(q, d).ok());
  receive(q, 1);
  auto c = q->counts();
  EXPECT_EQ(c.visible, 1u);
  EXPECT_EQ(c.inflight, 1u);
  EXPECT_EQ(c.delayed, 1u);
}

TEST_F(QueueTest, FairQueueSpreadsDeliveryAcrossTenants) {
  auto q = create("fair");
  std::vector<SendEntry> noisy;
  for (int i = 0; i < 10; ++i) noisy.push_back(entry("noisy", "tenant-a"));
  send_all(q, std::move(noisy));
  send_ok(q, "quiet", "tenant-b");
  // Ten messages of tenant A were queued first, yet B's message is in the first two.
  auto first = receive(q, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].group_id == "tenant-b" || first[1].group_id == "tenant-b", true);
}

TEST_F(QueueTest, CallsOnADeletedQueueFail) {
  auto q = create("gone");
  ASSERT_TRUE(delete_queue(kAccount, "gone").ok());
  EXPECT_EQ(send(q, entry("x")).error().code, errc::not_found);
}

TEST_F(QueueTest, DeletingAQueueAnswersItsWaitersEmpty) {
  auto q = create("gone");
  ReceiveRequest req;
  req.wait_seconds = 20;
  auto slot = start_receive(q, req);
  ASSERT_TRUE(delete_queue(kAccount, "gone").ok());
  ASSERT_TRUE(slot->has_value());
  EXPECT_TRUE((**slot)->empty());
}

}  // namespace
}  // namespace sluice::queue::testing
