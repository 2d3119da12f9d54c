// Dead-letter queues: redrive after maxReceiveCount, the rules that tie a source
// to its DLQ, and message move tasks back out of it.

#include "runtime/queue/tests/queue_fixture.h"

namespace sluice::queue::testing {
namespace {

class DeadLetterTest : public QueueFixture {
 protected:
  std::string arn(const std::string& name) { return "arn:aws:sqs:us-east-1:000000000000:" + name; }
  std::string redrive(const std::string& dlq, int max) {
    return "{\"deadLetterTargetArn\":\"" + arn(dlq) + "\",\"maxReceiveCount\":\"" + std::to_string(max) + "\"}";
  }
  // Receives and lets the visibility lapse `times` times.
  void fail_processing(const QueuePtr& q, int times) {
    for (int i = 0; i < times; ++i) {
      ASSERT_EQ(receive(q, 10, 1).size(), 1u) << "attempt " << i;
      clock.advance(1000);
    }
  }
};

TEST_F(DeadLetterTest, MessageMovesAfterMaxReceiveCount) {
  auto dlq = create("orders-dlq");
  auto q = create("orders", {{"RedrivePolicy", redrive("orders-dlq", 3)}});
  auto sent = send_ok(q, "poison");
  fail_processing(q, 3);
  EXPECT_TRUE(receive(q).empty());
  scheduler.run_pending();
  auto c = q->counts();
  EXPECT_EQ(c.visible + c.inflight, 0u);
  auto moved = receive(dlq);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].message_id, sent.message_id);
  EXPECT_EQ(moved[0].blob.body, "poison");
  EXPECT_EQ(moved[0].receive_count, 1u);
  EXPECT_EQ(moved[0].blob.dead_letter_source_arn, arn("orders"));
  EXPECT_EQ(q->probe().messages_redriven.load(), 1u);
}

TEST_F(DeadLetterTest, RedrivePolicyNeedsAnExistingQueueOfTheSameType) {
  auto missing = create_queue(kAccount, "a", {{"RedrivePolicy", redrive("nope", 3)}}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, errc::invalid_argument);
  create("ff.fifo", {{"FifoQueue", "true"}});
  auto mixed = create_queue(
      kAccount, "b", {{"RedrivePolicy", "{\"deadLetterTargetArn\":\"" + arn("ff.fifo") + "\",\"maxReceiveCount\":2}"}},
      {});
  EXPECT_FALSE(mixed.ok());
  auto range = create_queue(kAccount, "c", {{"RedrivePolicy", redrive("ff.fifo", 1001)}}, {});
  EXPECT_EQ(range.error().code, errc::invalid_argument);
}

TEST_F(DeadLetterTest, RedriveAllowPolicyRestrictsSources) {
  create("closed", {{"RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}"}});
  EXPECT_FALSE(create_queue(kAccount, "src", {{"RedrivePolicy", redrive("closed", 2)}}, {}).ok());
  create("picky",
         {{"RedriveAllowPolicy", "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"" + arn("good") + "\"]}"}});
  EXPECT_TRUE(create_queue(kAccount, "good", {{"RedrivePolicy", redrive("picky", 2)}}, {}).ok());
  EXPECT_FALSE(create_queue(kAccount, "bad", {{"RedrivePolicy", redrive("picky", 2)}}, {}).ok());
  EXPECT_FALSE(create_queue(kAccount, "x", {{"RedriveAllowPolicy", "{\"redrivePermission\":\"byQueue\"}"}}, {}).ok());
}

TEST_F(DeadLetterTest, ListsSourceQueuesOfADeadLetterQueue) {
  auto dlq = create("dlq");
  create("s1", {{"RedrivePolicy", redrive("dlq", 2)}});
  create("s2", {{"RedrivePolicy", redrive("dlq", 2)}});
  create("other");
  auto page = service->list_dead_letter_sources(dlq, std::nullopt, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->queues.size(), 2u);
  EXPECT_EQ(page->queues[0]->name(), "s1");
  auto first = service->list_dead_letter_sources(dlq, 1, "");
  ASSERT_EQ(first->queues.size(), 1u);
  ASSERT_FALSE(first->next_token.empty());
  auto second = service->list_dead_letter_sources(dlq, 1, first->next_token);
  EXPECT_EQ(second->queues[0]->name(), "s2");
  EXPECT_TRUE(second->next_token.empty());
}

TEST_F(DeadLetterTest, MoveTaskReturnsEachMessageToTheQueueItCameFrom) {
  auto dlq = create("dlq");
  auto a = create("a", {{"RedrivePolicy", redrive("dlq", 1)}});
  auto b = create("b", {{"RedrivePolicy", redrive("dlq", 1)}});
  send_ok(a, "from a");
  send_ok(b, "from b");
  fail_processing(a, 1);
  fail_processing(b, 1);
  receive(a);
  receive(b);
  scheduler.run_pending();
  ASSERT_EQ(dlq->counts().visible, 2u);

  auto handle = service->start_message_move_task(arn("dlq"), "", std::nullopt);
  ASSERT_TRUE(handle.ok()) << handle.error().message;
  scheduler.advance(1000);
  EXPECT_EQ(dlq->counts().visible, 0u);
  EXPECT_EQ(bodies(receive(a)), std::vector<std::string>{"from a"});
  EXPECT_EQ(bodies(receive(b)), std::vector<std::string>{"from b"});
  auto tasks = service->list_message_move_tasks(arn("dlq"), 10);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ(tasks->at(0).status, MoveTaskStatus::completed);
  EXPECT_EQ(tasks->at(0).moved, 2u);
  EXPECT_EQ(tasks->at(0).to_move, 2u);
  EXPECT_TRUE(tasks->at(0).task_handle.empty());
}

TEST_F(DeadLetterTest, MoveTaskToADestinationIsRateLimitedAndCancellable) {
  auto dlq = create("dlq");
  create("src", {{"RedrivePolicy", redrive("dlq", 1)}});
  auto dest = create("dest");
  std::vector<SendEntry> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(entry("m"));
  for (int round = 0; round < 10; ++round) send_all(dlq, batch);  // 100 messages
  auto handle = service->start_message_move_task(arn("dlq"), arn("dest"), 20);
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ(service->start_message_move_task(arn("dlq"), "", std::nullopt).error().code, errc::state_conflict);
  scheduler.advance(1000);
  // 20 per second, moved in 100 ms slices.
  EXPECT_NEAR(double(dest->counts().visible), 20.0, 2.0);
  auto cancelled = service->cancel_message_move_task(*handle);
  ASSERT_TRUE(cancelled.ok());
  scheduler.advance(2000);
  auto moved = dest->counts().visible;
  EXPECT_LT(moved, 30u);
  EXPECT_EQ(moved + dlq->counts().visible, 100u);
  auto tasks = service->list_message_move_tasks(arn("dlq"), 1);
  EXPECT_EQ(tasks->at(0).status, MoveTaskStatus::cancelled);
  EXPECT_EQ(service->cancel_message_move_task(*handle).error().code, errc::state_conflict);
}

TEST_F(DeadLetterTest, MoveTaskNeedsADeadLetterSource) {
  create("plain");
  EXPECT_EQ(service->start_message_move_task(arn("plain"), "", std::nullopt).error().code, errc::invalid_argument);
  EXPECT_EQ(service->start_message_move_task(arn("missing"), "", std::nullopt).error().code, errc::not_found);
  EXPECT_EQ(service->cancel_message_move_task("garbage").error().code, errc::not_found);
}

}  // namespace
}  // namespace sluice::queue::testing
