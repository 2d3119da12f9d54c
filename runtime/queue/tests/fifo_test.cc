// FIFO queues: strict order per group, groups blocked while in flight,
// deduplication (explicit, content-based, per-group scope) and receive-attempt
// retries.

#include "runtime/queue/tests/queue_fixture.h"

namespace sluice::queue::testing {
namespace {

class FifoTest : public QueueFixture {
 protected:
  QueuePtr fifo(StringPairs extra = {}) {
    extra.emplace_back("FifoQueue", "true");
    return create("ledger.fifo", extra);
  }
};

TEST_F(FifoTest, DeliversEachGroupInOrderAndBlocksItWhileAMessageIsInFlight) {
  auto q = fifo({{"ContentBasedDeduplication", "true"}});
  for (int i = 0; i < 3; ++i) send_ok(q, "a" + std::to_string(i), "A");
  send_ok(q, "b0", "B");
  auto first = receive(q, 1);
  ASSERT_EQ(bodies(first), std::vector<std::string>{"a0"});
  // A is blocked while a0 is in flight; B is not.
  EXPECT_EQ(bodies(receive(q, 10)), std::vector<std::string>{"b0"});
  EXPECT_TRUE(receive(q, 10).empty());
  ASSERT_TRUE(remove(q, first[0].receipt_handle).ok());
  EXPECT_EQ(bodies(receive(q, 10)), (std::vector<std::string>{"a1", "a2"}));
}

TEST_F(FifoTest, AnExpiredMessageComesBackBeforeTheRestOfItsGroup) {
  auto q = fifo({{"ContentBasedDeduplication", "true"}, {"VisibilityTimeout", "5"}});
  send_ok(q, "first", "G");
  send_ok(q, "second", "G");
  ASSERT_EQ(bodies(receive(q, 1)), std::vector<std::string>{"first"});
  clock.advance(5000);
  auto again = receive(q, 10);
  EXPECT_EQ(bodies(again), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(again[0].receive_count, 2u);
}

TEST_F(FifoTest, ReleasingAMessageWithZeroVisibilityUnblocksItsGroup) {
  auto q = fifo({{"ContentBasedDeduplication", "true"}});
  send_ok(q, "first", "G");
  send_ok(q, "second", "G");
  auto got = receive(q, 1);
  EXPECT_TRUE(receive(q, 1).empty());
  ASSERT_TRUE(change_visibility(q, got[0].receipt_handle, 0).ok());
  EXPECT_EQ(bodies(receive(q, 1)), std::vector<std::string>{"first"});
}

TEST_F(FifoTest, AHandleWhoseTimeoutExpiredCanNeitherDeleteNorChangeVisibility) {
  auto q = fifo({{"ContentBasedDeduplication", "true"}, {"VisibilityTimeout", "5"}});
  send_ok(q, "first", "G");
  auto got = receive(q, 1);
  clock.advance(5000);
  auto del = remove(q, got[0].receipt_handle);
  ASSERT_FALSE(del.ok());
  EXPECT_EQ(del.error().code, errc::expired);
  EXPECT_EQ(del.error().field, "ReceiptHandle");
  EXPECT_EQ(del.error().message, "The receipt handle has expired.");
  auto vis = change_visibility(q, got[0].receipt_handle, 30);
  ASSERT_FALSE(vis.ok());
  EXPECT_EQ(vis.error().code, errc::expired);
  EXPECT_EQ(q->counts().visible, 1u);  // nothing was deleted or hidden
  // Received again: the new handle works, the old one still does not.
  auto again = receive(q, 1);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(remove(q, got[0].receipt_handle).error().code, errc::expired);
  EXPECT_EQ(q->counts().inflight, 1u);
  EXPECT_TRUE(change_visibility(q, again[0].receipt_handle, 10).ok());
  EXPECT_TRUE(remove(q, again[0].receipt_handle).ok());
  EXPECT_EQ(q->counts().inflight, 0u);
}

TEST_F(FifoTest, PurgeForgetsDeduplicationIds) {
  auto q = fifo();
  auto first = send_ok(q, "pay 10", "G", "order-1");
  ASSERT_TRUE(purge(q).ok());
  auto after = send_ok(q, "pay 10", "G", "order-1");
  EXPECT_NE(after.message_id, first.message_id);
  EXPECT_EQ(q->counts().visible, 1u);
}

TEST_F(FifoTest, SequenceNumbersIncreaseAndComeBackOnReceive) {
  auto q = fifo({{"ContentBasedDeduplication", "true"}});
  auto a = send_ok(q, "a", "G");
  auto b = send_ok(q, "b", "G");
  EXPECT_EQ(a.sequence_number.size(), 20u);
  EXPECT_LT(a.sequence_number, b.sequence_number);
  auto got = receive(q, 10);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].sequence_number, a.sequence_number);
  EXPECT_EQ(got[0].group_id, "G");
}

TEST_F(FifoTest, DuplicateIdsWithinFiveMinutesAreAcceptedButDeliveredOnce) {
  auto q = fifo();
  auto first = send_ok(q, "pay 10", "G", "order-1");
  clock.advance(60'000);
  auto dup = send_ok(q, "pay 10", "G", "order-1");
  EXPECT_EQ(dup.message_id, first.message_id);
  EXPECT_EQ(dup.sequence_number, first.sequence_number);
  auto got = receive(q, 10);
  ASSERT_EQ(got.size(), 1u);
  // Still a duplicate after the first copy was deleted.
  ASSERT_TRUE(remove(q, got[0].receipt_handle).ok());
  EXPECT_EQ(send_ok(q, "pay 10", "G", "order-1").message_id, first.message_id);
  EXPECT_TRUE(receive(q, 10).empty());
  // Five minutes after the first send, the id is fresh again.
  clock.advance(240'000);
  EXPECT_NE(send_ok(q, "pay 10", "G", "order-1").message_id, first.message_id);
  EXPECT_EQ(receive(q, 10).size(), 1u);
}

TEST_F(FifoTest, DuplicatesInsideOneBatchAreDeliveredOnce) {
  auto q = fifo();
  std::vector<SendEntry> batch{entry("x", "G", "same"), entry("x", "G", "same")};
  auto results = send_all(q, std::move(batch));
  ASSERT_TRUE(results[0].ok() && results[1].ok());
  EXPECT_EQ(results[0]->message_id, results[1]->message_id);
  EXPECT_EQ(q->counts().visible, 1u);
}

TEST_F(FifoTest, ContentBasedDeduplicationUsesTheBody) {
  auto q = fifo({{"ContentBasedDeduplication", "true"}});
  auto a = send_ok(q, "same body", "G");
  auto b = send_ok(q, "same body", "G");
  auto c = send_ok(q, "other body", "G");
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_NE(a.message_id, c.message_id);
  // An explicit id wins over the body.
  EXPECT_NE(send_ok(q, "same body", "G", "explicit").message_id, a.message_id);
}

TEST_F(FifoTest, MessageGroupScopeDeduplicatesPerGroup) {
  auto q = fifo({{"DeduplicationScope", "messageGroup"}, {"FifoThroughputLimit", "perMessageGroupId"}});
  auto a = send_ok(q, "x", "A", "d");
  auto b = send_ok(q, "x", "B", "d");
  EXPECT_NE(a.message_id, b.message_id);
  EXPECT_EQ(send_ok(q, "x", "A", "d").message_id, a.message_id);
}

TEST_F(FifoTest, SendRulesForFifoQueues) {
  auto q = fifo();
  EXPECT_EQ(send(q, entry("x", "", "d")).error().code, errc::missing_argument);
  EXPECT_EQ(send(q, entry("x", "G")).error().code, errc::invalid_argument);  // no dedup id, no CBD
  SendEntry delayed = entry("x", "G", "d");
  delayed.delay_seconds = 5;
  EXPECT_EQ(send(q, delayed).error().code, errc::invalid_argument);
  EXPECT_EQ(send(q, entry("x", std::string(129, 'g'), "d")).error().code, errc::invalid_argument);
  EXPECT_EQ(send(q, entry("x", "G", "has space")).error().code, errc::invalid_argument);
}

TEST_F(FifoTest, ARetriedReceiveAttemptGetsTheSameMessagesAndHandles) {
  auto q = fifo({{"ContentBasedDeduplication", "true"}, {"VisibilityTimeout", "30"}});
  send_ok(q, "a", "G");
  send_ok(q, "b", "H");
  ReceiveRequest req;
  req.max_messages = 1;
  req.wait_seconds = 0;
  req.attempt_id = "attempt-1";
  auto first = start_receive(q, req);
  ASSERT_TRUE(first->has_value() && (*first)->ok());
  ASSERT_EQ((**first)->size(), 1u);
  clock.advance(20'000);
  auto retry = start_receive(q, req);
  ASSERT_EQ((**retry)->size(), 1u);
  EXPECT_EQ((**retry)->at(0).receipt_handle, (**first)->at(0).receipt_handle);
  // The retry reset the visibility timeout: still hidden 29 s later.
  clock.advance(29'000);
  ReceiveRequest other;
  other.max_messages = 10;
  other.wait_seconds = 0;
  auto rest = start_receive(q, other);
  EXPECT_EQ(bodies(***rest), std::vector<std::string>{"b"});
}

TEST_F(FifoTest, HighThroughputNeedsMessageGroupScope) {
  auto bad =
      create_queue(kAccount, "x.fifo", {{"FifoQueue", "true"}, {"FifoThroughputLimit", "perMessageGroupId"}}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, errc::invalid_argument);
}

}  // namespace
}  // namespace sluice::queue::testing
