// Everything acknowledged survives a restart: queues, messages in every state,
// receive counts, deduplication entries. Uses the real RocksDB store in a
// temporary directory and a fresh QueueService per "process".

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/queue/queue_service.h"
#include "runtime/storage/memory_store.h"
#include "runtime/storage/rocks_store.h"

namespace sluice::queue {
namespace {

constexpr const char* kAccount = "000000000000";

class RecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("sluice-recovery-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    start();
  }
  void TearDown() override {
    stop();
    std::filesystem::remove_all(dir_);
  }

  void start() {
    std::string error;
    store_ = storage::RocksStore::open({dir_}, &error);
    ASSERT_TRUE(store_) << error;
    memory_ = std::make_unique<storage::MemoryStore>();
    service_ = std::make_unique<QueueService>(QueueServiceOptions{}, *store_, *memory_, clock_, scheduler_);
    ASSERT_TRUE(service_->recover().ok());
  }
  void stop() {
    service_.reset();
    store_.reset();
    memory_.reset();
  }
  void restart() {
    stop();
    start();
  }

  QueuePtr q(const std::string& name) { return service_->find("us-east-1", kAccount, name); }

  // The control plane answers from the store's committer thread: wait for it.
  Result<QueuePtr> create_queue(const std::string& account, const std::string& name, const StringPairs& attributes,
                                const StringPairs& tags) {
    std::promise<Result<QueuePtr>> p;
    service_->create_queue({"us-east-1", account, name}, attributes, tags, [&](auto r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }
  Result<QueuePtr> apply_queue(const std::string& account, const std::string& name, const QueueAttributes& attrs,
                               const StringPairs& tags) {
    std::promise<Result<QueuePtr>> p;
    service_->apply_queue({"us-east-1", account, name}, attrs, tags, [&](auto r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  SendOutcome send(const QueuePtr& queue, std::string body, std::string group = {}, std::string dedup = {}) {
    SendEntry e;
    e.body = std::move(body);
    if (!group.empty()) e.group_id = std::move(group);
    e.deduplication_id = std::move(dedup);
    std::promise<std::vector<Result<SendOutcome>>> p;
    auto f = p.get_future();
    queue->send({e}, [&](auto r) { p.set_value(std::move(r)); });
    auto r = f.get();
    EXPECT_TRUE(r[0].ok());
    return r[0].ok() ? *r[0] : SendOutcome{};
  }

  std::vector<ReceivedMessage> receive(const QueuePtr& queue, int max = 10) {
    ReceiveRequest req;
    req.max_messages = max;
    req.wait_seconds = 0;
    std::promise<Result<std::vector<ReceivedMessage>>> p;
    auto f = p.get_future();
    queue->receive(req, [&](auto r) { p.set_value(std::move(r)); });
    auto r = f.get();
    return r.ok() ? *r : std::vector<ReceivedMessage>{};
  }

  void remove(const QueuePtr& queue, const std::string& handle) {
    std::promise<void> p;
    queue->delete_messages({handle}, [&](auto) { p.set_value(); });
    p.get_future().wait();
  }

  std::string dir_;
  ManualClock clock_;
  sluice::testing::ManualScheduler scheduler_{clock_};
  std::unique_ptr<storage::RocksStore> store_;
  std::unique_ptr<storage::MemoryStore> memory_;
  std::unique_ptr<QueueService> service_;
};

TEST_F(RecoveryTest, QueuesKeepTheirAttributesAndTags) {
  ASSERT_TRUE(create_queue(kAccount, "orders", {{"VisibilityTimeout", "45"}}, {{"team", "shop"}}).ok());
  restart();
  auto orders = q("orders");
  ASSERT_TRUE(orders);
  EXPECT_EQ(orders->attributes().visibility_timeout, 45);
  EXPECT_EQ(orders->tags().size(), 1u);
}

TEST_F(RecoveryTest, MessagesSurviveInTheStateTheyWereIn) {
  auto orders = *create_queue(kAccount, "orders", {{"VisibilityTimeout", "60"}}, {});
  auto a = send(orders, "in flight");
  send(orders, "visible");
  auto got = receive(orders, 1);
  ASSERT_EQ(got.size(), 1u);
  auto deleted = send(orders, "deleted");
  auto all = receive(orders, 10);
  for (auto& m : all)
    if (m.message_id == deleted.message_id) remove(orders, m.receipt_handle);
  store_->flush();
  restart();

  orders = q("orders");
  auto c = orders->counts();
  EXPECT_EQ(c.inflight, 2u);  // "in flight" and "visible" (received above) are both hidden
  EXPECT_EQ(c.visible, 0u);
  clock_.advance(60'000);
  auto back = receive(orders, 10);
  ASSERT_EQ(back.size(), 2u);
  for (auto& m : back) {
    EXPECT_NE(m.message_id, deleted.message_id);
    if (m.message_id == a.message_id) {
      EXPECT_EQ(m.receive_count, 2u);
    }
  }
  // The handle from before the restart still identifies the message.
  remove(orders, back[0].receipt_handle);
  EXPECT_EQ(orders->counts().inflight, 1u);
}

TEST_F(RecoveryTest, FifoDeduplicationAndOrderSurvive) {
  auto ledger = *create_queue(kAccount, "ledger.fifo", {{"FifoQueue", "true"}}, {});
  auto first = send(ledger, "one", "G", "d1");
  send(ledger, "two", "G", "d2");
  restart();
  ledger = q("ledger.fifo");
  EXPECT_EQ(send(ledger, "one", "G", "d1").message_id, first.message_id);
  auto third = send(ledger, "three", "G", "d3");
  EXPECT_GT(third.sequence_number, first.sequence_number);
  auto got = receive(ledger, 10);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].blob.body, "one");
  EXPECT_EQ(got[1].blob.body, "two");
  EXPECT_EQ(got[2].blob.body, "three");
}

TEST_F(RecoveryTest, MemoryOnlyQueuesComeBackEmpty) {
  QueueAttributes attrs;
  attrs.durability = storage::Durability::memory;
  auto scratch = *apply_queue(kAccount, "scratch", attrs, {});
  send(scratch, "gone after restart");
  restart();
  ASSERT_TRUE(q("scratch"));
  EXPECT_EQ(q("scratch")->counts().visible, 0u);
  EXPECT_EQ(q("scratch")->attributes().durability, storage::Durability::memory);
}

TEST_F(RecoveryTest, DeadLetterLinksAreRestored) {
  ASSERT_TRUE(create_queue(kAccount, "dlq", {}, {}).ok());
  auto src = *create_queue(
      kAccount, "src",
      {{"RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\",\"maxReceiveCount\":1}"},
       {"VisibilityTimeout", "1"}},
      {});
  send(src, "poison");
  receive(src);
  restart();
  clock_.advance(1000);
  EXPECT_TRUE(receive(q("src")).empty());
  store_->flush();  // the move commits asynchronously
  EXPECT_EQ(q("dlq")->counts().visible, 1u);
}

}  // namespace
}  // namespace sluice::queue
