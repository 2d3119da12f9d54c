// The control plane never stalls the data plane: a CreateQueue whose commit is
// still on its way to the disk holds no lock that a send, a receive or a lookup
// needs; control operations see each other in order; a bulk apply stays linear;
// the store's read errors are errors; recovery skips damaged message records,
// stops on a damaged queue record, sweeps what deleted queues left behind, and
// moves records written before regions into the default region.

#include <gtest/gtest.h>

#include <chrono>

#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/queue/queue_format.h"
#include "runtime/queue/queue_service.h"
#include "runtime/queue/tests/queue_fixture.h"
#include "runtime/storage/testing/faulty_store.h"
#include "runtime/storage/testing/gated_store.h"

namespace sluice::queue::testing {
namespace {

class ControlPlaneTest : public ::testing::Test {
 protected:
  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::testing::GatedStore gated;
  storage::MemoryStore memory;
  QueueService service{QueueServiceOptions{}, gated, memory, clock, scheduler};

  QueuePtr make(const std::string& name) {
    auto q = await<Result<QueuePtr>>(scheduler, [&](auto done) {
      service.create_queue({kRegion, kAccount, name}, {}, {}, done);
    });
    EXPECT_TRUE(q.ok());
    return q.ok() ? *q : nullptr;
  }
};

TEST_F(ControlPlaneTest, ACreateWaitingForTheDiskStallsNoSend) {
  auto orders = make("orders");
  gated.close();  // the disk is slow from now on
  std::optional<Result<QueuePtr>> created;
  service.create_queue({kRegion, kAccount, "new"}, {}, {}, [&](auto r) { created = std::move(r); });
  ASSERT_FALSE(created) << "a create answers only once its record is durable";
  EXPECT_FALSE(service.find(kRegion, kAccount, "new")) << "and is not visible before";

  // Meanwhile lookups, sends and receives on other queues go on: nothing here blocks.
  ASSERT_EQ(service.find(kRegion, kAccount, "orders"), orders);
  std::optional<std::vector<Result<SendOutcome>>> sent;
  SendEntry e;
  e.body = "hello";
  orders->send({e}, [&](auto r) { sent = std::move(r); });
  EXPECT_FALSE(sent) << "the send's own commit waits for the disk too";
  EXPECT_EQ(gated.held(), 2u);

  // A second control operation waits its turn behind the first.
  std::optional<Status> tagged;
  service.tag_queue(orders, {{"team", "shop"}}, [&](Status s) { tagged = s; });
  EXPECT_FALSE(tagged);

  gated.open();
  scheduler.run_pending();
  ASSERT_TRUE(created && created->ok());
  ASSERT_TRUE(sent && (*sent)[0].ok());
  // The tag operation ran after the create's commit released the sequencer.
  gated.open();
  ASSERT_TRUE(tagged && tagged->ok());
  EXPECT_EQ(orders->tags(), (StringPairs{{"team", "shop"}}));
  EXPECT_TRUE(service.find(kRegion, kAccount, "new"));
}

TEST_F(ControlPlaneTest, ConcurrentCreatesOfOneNameMakeOneQueue) {
  std::vector<Result<QueuePtr>> results;
  gated.close();
  for (int i = 0; i < 3; ++i)
    service.create_queue({kRegion, kAccount, "same"}, {}, {}, [&](auto r) { results.push_back(std::move(r)); });
  gated.open();
  gated.open();  // commits issued by tasks that ran during the first open
  ASSERT_EQ(results.size(), 3u);
  for (auto& r : results) ASSERT_TRUE(r.ok());
  EXPECT_EQ(*results[0], *results[1]);
  EXPECT_EQ(*results[1], *results[2]);
  EXPECT_EQ(service.size(), 1u);
}

TEST_F(ControlPlaneTest, RegionsKeepTheirOwnQueues) {
  auto east = await<Result<QueuePtr>>(scheduler, [&](auto done) {
    service.create_queue({"us-east-1", kAccount, "q"}, {}, {}, done);
  });
  auto west = await<Result<QueuePtr>>(scheduler, [&](auto done) {
    service.create_queue({"eu-west-1", kAccount, "q"}, {}, {}, done);
  });
  ASSERT_TRUE(east.ok() && west.ok());
  EXPECT_NE(*east, *west);
  EXPECT_EQ((*west)->arn(), "arn:aws:sqs:eu-west-1:000000000000:q");
  EXPECT_EQ(service.list_queues("eu-west-1", kAccount, "", std::nullopt, "")->queues.size(), 1u);
  EXPECT_EQ(service.find("eu-west-1", kAccount, "q"), *west);
}

// Linear, not quadratic: 10x the queues costs about 10x, not 100x. Generous bounds,
// so a loaded machine does not make it flaky; the figures are printed.
TEST_F(ControlPlaneTest, ABulkApplyIsLinear) {
  auto time_creates = [&](int from, int n) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = from; i < from + n; ++i) {
      QueueAttributes attrs;
      attrs.redrive_policy = RedrivePolicy{"arn:aws:sqs:us-east-1:000000000000:q0", 5};
      std::optional<Result<QueuePtr>> r;
      service.apply_queue({kRegion, kAccount, "q" + std::to_string(i)}, i == 0 ? QueueAttributes{} : attrs, {},
                          [&](auto x) { r = std::move(x); });
      EXPECT_TRUE(r && r->ok());
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  const double first = time_creates(0, 1000);
  const double next = time_creates(1000, 10'000);
  std::cout << "1,000 queues: " << first << " s; the next 10,000 (every one a source of q0): " << next << " s\n";
  EXPECT_LT(next, first * 40) << "applying queues got slower as their number grew";
  EXPECT_EQ(service.size(), 11'000u);
  EXPECT_EQ(service.list_dead_letter_sources(service.find(kRegion, kAccount, "q0"), 1000, "")->queues.size(), 1000u);
}

class ReadErrorTest : public ::testing::Test {
 protected:
  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::testing::FaultyStore faulty;
  storage::MemoryStore memory;
  QueueService service{QueueServiceOptions{}, faulty, memory, clock, scheduler};
};

TEST_F(ReadErrorTest, AnUnreadableBodyIsAnErrorAndTheMessageStays) {
  auto q = await<Result<QueuePtr>>(scheduler, [&](auto done) {
    service.create_queue({kRegion, kAccount, "q"}, {}, {}, done);
  });
  ASSERT_TRUE(q.ok());
  SendEntry e;
  e.body = "precious";
  std::optional<std::vector<Result<SendOutcome>>> sent;
  (*q)->send({e}, [&](auto r) { sent = std::move(r); });
  ASSERT_TRUE(sent && (*sent)[0].ok());

  faulty.fail_reads = true;
  ReceiveRequest req;
  req.max_messages = 10;
  req.wait_seconds = 0;
  std::optional<Result<std::vector<ReceivedMessage>>> got;
  (*q)->receive(req, [&](auto r) { got = std::move(r); });
  scheduler.run_pending();
  ASSERT_TRUE(got);
  ASSERT_FALSE(got->ok()) << "a read error is not an empty queue";
  EXPECT_EQ(got->error().code, errc::storage_failure);
  EXPECT_EQ((*q)->counts().visible, 1u) << "the message is visible again at once";

  faulty.fail_reads = false;
  got.reset();
  (*q)->receive(req, [&](auto r) { got = std::move(r); });
  scheduler.run_pending();
  ASSERT_TRUE(got && got->ok());
  ASSERT_EQ((*got)->size(), 1u);
  EXPECT_EQ((**got)[0].blob.body, "precious");
}

TEST_F(ReadErrorTest, RecoveryFailsOnAStoreThatCannotBeRead) {
  faulty.fail_reads = true;
  auto r = service.recover();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::storage_failure);
}

class RecoveryOfDamageTest : public QueueFixture {
 protected:
  Result<QueueService::Recovered> restart() {
    service = std::make_unique<QueueService>(QueueServiceOptions{}, durable, memory, clock, scheduler);
    return service->recover();
  }
  void put(std::string key, std::string value) {
    storage::WriteBatch b;
    b.put(std::move(key), std::move(value));
    durable.commit(std::move(b), storage::Durability::sync, nullptr);
  }
};

TEST_F(RecoveryOfDamageTest, ADamagedMessageRecordIsSkippedAndCounted) {
  auto q = create("q");
  send_ok(q, "one");
  send_ok(q, "two");
  const uint64_t uid = q->identity().uid;
  std::string victim;
  durable.scan(format::uid_prefix(storage::Tag::message_meta, uid), [&](std::string_view k, std::string_view) {
    victim = std::string(k);
    return false;
  });
  put(victim, "\x01garbage");
  auto r = restart();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->skipped_records, 1u);
  EXPECT_EQ(r->messages, 1u);
  EXPECT_EQ(service->find(kRegion, kAccount, "q")->counts().visible, 1u);
}

TEST_F(RecoveryOfDamageTest, ADamagedQueueRecordStopsTheStartAndSaysWhich) {
  create("q");
  put(format::queue_key(kRegion, kAccount, "q"), "\x01\x02");
  auto r = restart();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unreadable queue record"), std::string::npos);
}

TEST_F(RecoveryOfDamageTest, RecordsOfDeletedQueuesAreSwept) {
  auto q = create("q");
  send_ok(q, "left behind");
  const uint64_t uid = q->identity().uid;
  // A crash between removing the queue record and its messages.
  storage::WriteBatch b;
  b.del(format::queue_key(kRegion, kAccount, "q"));
  durable.commit(std::move(b), storage::Durability::sync, nullptr);
  auto r = restart();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->orphan_ranges, 2u);  // its M and B records
  EXPECT_FALSE(durable.first_key(format::uid_prefix(storage::Tag::message_meta, uid), "").found());
  EXPECT_EQ(durable.size(), 0u);
}

TEST_F(RecoveryOfDamageTest, RecordsWrittenBeforeRegionsMoveToTheDefaultRegion) {
  auto q = create("old");
  send_ok(q, "kept");
  // Rewrite the record under its pre-region key.
  auto value = durable.get(format::queue_key(kRegion, kAccount, "old")).value;
  storage::WriteBatch b;
  b.del(format::queue_key(kRegion, kAccount, "old"));
  b.put(std::string("Q") + kAccount + std::string(1, '\0') + "old", value);
  durable.commit(std::move(b), storage::Durability::sync, nullptr);
  auto r = restart();
  ASSERT_TRUE(r.ok());
  auto back = service->find(kRegion, kAccount, "old");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->counts().visible, 1u);
  EXPECT_TRUE(durable.get(format::queue_key(kRegion, kAccount, "old")).found()) << "rewritten under the new key";
  EXPECT_FALSE(durable.get(std::string("Q") + kAccount + std::string(1, '\0') + "old").found());
}

}  // namespace
}  // namespace sluice::queue::testing
