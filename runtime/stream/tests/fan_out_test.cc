#include "runtime/stream/fan_out.h"

#include <gtest/gtest.h>

#include "runtime/stream/sequence_number.h"
#include "runtime/stream/testing/stream_fixture.h"

namespace sluice::stream {
namespace {

// What a client of SubscribeToShard would see.
struct RecordingSubscriber final : Subscriber {
  std::vector<PushEvent> events;
  std::optional<std::optional<Error>> ended;  // set once end() ran, with its error
  size_t backlog_bytes = 0;
  bool gone = false;

  bool push(const PushEvent& e) override {
    if (gone) return false;
    events.push_back(e);
    return true;
  }
  size_t backlog() const override { return backlog_bytes; }
  void end(const std::optional<Error>& error) override { ended = error; }

  std::vector<std::string> data() const {
    std::vector<std::string> out;
    for (const auto& e : events)
      for (const auto& r : e.records) out.push_back(r.stored.data);
    return out;
  }
};

class FanOutTest : public testing::StreamFixture {
 protected:
  void SetUp() override {
    stream_ = create("clicks");
    ASSERT_TRUE(update(stream_, changes::register_consumer("reader")));
    consumer_ = service_->consumer(stream_, "reader")->arn;
  }

  Result<std::shared_ptr<Subscription>, Error> subscribe(IteratorType type = IteratorType::trim_horizon,
                                                         std::string sequence = "", uint32_t shard = 0) {
    return service_->subscribe(consumer_, {shard_id(shard), type, std::move(sequence), 0}, "000000000000");
  }

  std::shared_ptr<RecordingSubscriber> start(IteratorType type = IteratorType::trim_horizon, std::string sequence = "",
                                             uint32_t shard = 0) {
    auto sub = subscribe(type, std::move(sequence), shard);
    EXPECT_TRUE(sub.ok()) << (sub.ok() ? "" : sub.error().message);
    auto sink = std::make_shared<RecordingSubscriber>();
    if (sub.ok()) (*sub)->start(sink);
    scheduler.run_pending();
    return sink;
  }

  StreamPtr stream_;
  std::string consumer_;
};

TEST_F(FanOutTest, PushesWhatIsThereAtOnceThenEachRecordAsItIsCommitted) {
  put(stream_, "k", "a");
  const auto b = put(stream_, "k", "b");
  auto sink = start();
  ASSERT_EQ(sink->events.size(), 1u);
  EXPECT_EQ(sink->data(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(sink->events[0].continuation, format_sequence(b.counter, b.shard));

  put(stream_, "k", "c");
  scheduler.run_pending();
  ASSERT_EQ(sink->events.size(), 2u);
  EXPECT_EQ(sink->data(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(sink->ended);
}

TEST_F(FanOutTest, AnIdleSubscriptionSendsAnEmptyEventEveryFiveSeconds) {
  auto sink = start(IteratorType::latest);
  ASSERT_EQ(sink->events.size(), 1u) << "the first event goes out at once, even empty";
  scheduler.advance(kHeartbeatMs - 1'000);
  EXPECT_EQ(sink->events.size(), 1u);
  scheduler.advance(1'000);
  ASSERT_EQ(sink->events.size(), 2u);
  EXPECT_TRUE(sink->events[1].records.empty());
  EXPECT_EQ(sink->events[1].continuation, sink->events[0].continuation) << "nothing new: the same position";
}

TEST_F(FanOutTest, ASecondSubscriptionWithinFiveSecondsIsRefusedALaterOneTakesOver) {
  auto first = start();
  scheduler.advance(kTakeoverAfterMs - 1);
  auto refused = subscribe();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, errc::state_conflict);
  EXPECT_FALSE(first->ended);

  scheduler.advance(1);
  auto second = start();
  ASSERT_TRUE(first->ended);
  ASSERT_TRUE(first->ended->has_value()) << "the first ends with ResourceInUse";
  EXPECT_EQ((*first->ended)->code, errc::state_conflict);
  EXPECT_FALSE(second->ended);
  // Another shard of the same consumer is another subscription.
  ASSERT_TRUE(update(stream_, changes::split(shard_id(0), HashKey(1) << 127)));
  EXPECT_TRUE(subscribe(IteratorType::trim_horizon, "", 1).ok());
}

TEST_F(FanOutTest, ASubscriptionEndsAfterFiveMinutesAndTheContinuationResumesIt) {
  for (int i = 0; i < 3; ++i) put(stream_, "k", std::to_string(i));
  auto sink = start();
  scheduler.advance(kSubscriptionLifetimeMs - 1'000);
  EXPECT_FALSE(sink->ended);
  put(stream_, "k", "3");
  scheduler.advance(1'000);
  ASSERT_TRUE(sink->ended);
  EXPECT_FALSE(sink->ended->has_value()) << "the lifetime ends the stream, not with an error";

  put(stream_, "k", "4");
  auto next = start(IteratorType::after_sequence, *sink->events.back().continuation);
  std::vector<std::string> all = sink->data();
  for (const auto& d : next->data()) all.push_back(d);
  EXPECT_EQ(all, (std::vector<std::string>{"0", "1", "2", "3", "4"})) << "nothing lost or pushed twice";
}

TEST_F(FanOutTest, AContinuationBeforeAnyRecordResumesAtTheStart) {
  auto empty = start();
  ASSERT_EQ(empty->events.size(), 1u);
  ASSERT_TRUE(empty->events[0].continuation);
  put(stream_, "k", "first");
  scheduler.advance(kTakeoverAfterMs);
  auto resumed = start(IteratorType::after_sequence, *empty->events[0].continuation);
  EXPECT_EQ(resumed->data(), std::vector<std::string>{"first"});
}

TEST_F(FanOutTest, AClosedShardEndsWithItsChildShardsAfterItsLastRecord) {
  put(stream_, "k", "before");
  auto sink = start();
  ASSERT_TRUE(update(stream_, changes::split(shard_id(0), HashKey(1) << 127)));
  scheduler.run_pending();
  ASSERT_TRUE(sink->ended);
  EXPECT_FALSE(sink->ended->has_value());
  const auto& last = sink->events.back();
  EXPECT_FALSE(last.continuation) << "no continuation at a shard's end";
  ASSERT_EQ(last.children.size(), 2u);
  EXPECT_EQ(last.children[0].parents, std::vector<uint32_t>{0});
  EXPECT_EQ(sink->data(), std::vector<std::string>{"before"});
}

TEST_F(FanOutTest, ASlowClientIsNotPushedMoreWhileItsBacklogIsFull) {
  auto sink = start(IteratorType::latest);
  sink->backlog_bytes = kMaxBacklogBytes + 1;
  put(stream_, "k", "held");
  scheduler.advance(100);
  EXPECT_EQ(sink->events.size(), 1u);
  sink->backlog_bytes = 0;
  scheduler.advance(20);
  EXPECT_EQ(sink->data(), std::vector<std::string>{"held"});
}

TEST_F(FanOutTest, ABigBacklogGoesOutInEventsOfAtMostOneMebibyte) {
  const std::string kib100(100 << 10, 'x');
  for (int i = 0; i < 25; ++i) put(stream_, "k", kib100);
  auto sink = start();
  EXPECT_EQ(sink->data().size(), 25u);
  ASSERT_GE(sink->events.size(), 3u);
  for (const auto& e : sink->events) {
    size_t bytes = 0;
    for (const auto& r : e.records) bytes += r.stored.data.size() + r.stored.partition_key.size();
    EXPECT_LE(bytes, kMaxEventBytes);
  }
}

TEST_F(FanOutTest, DeregisteringTheConsumerOrDeletingTheStreamEndsItsSubscriptions) {
  auto sink = start();
  service_->end_subscriptions(consumer_);
  ASSERT_TRUE(sink->ended && sink->ended->has_value());
  EXPECT_EQ((*sink->ended)->code, errc::not_found);

  scheduler.advance(kTakeoverAfterMs);
  auto again = start();
  bool deleted = false;
  service_->delete_stream(stream_, true, [&](Status<Error> s) { deleted = s.ok(); });
  ASSERT_TRUE(deleted);
  scheduler.advance(1'000);
  ASSERT_TRUE(again->ended && again->ended->has_value());
  EXPECT_EQ((*again->ended)->code, errc::not_found);
}

TEST_F(FanOutTest, AClientThatWentAwayEndsItWithoutBeingToldAndStillHoldsTheSlotFiveSeconds) {
  auto sink = start();
  sink->gone = true;
  put(stream_, "k", "x");
  scheduler.run_pending();
  EXPECT_FALSE(sink->ended);
  EXPECT_EQ(service_->subscriptions(), 0u);
  EXPECT_FALSE(subscribe().ok()) << "within 5 s of a successful call, even a closed one";
  scheduler.advance(kTakeoverAfterMs);
  EXPECT_TRUE(subscribe().ok()) << "the slot is free again";
}

TEST_F(FanOutTest, AnotherAccountsConsumerIsNotFoundAndStopEndsEverything) {
  auto other = service_->subscribe(consumer_, {shard_id(0), IteratorType::latest, "", 0}, "111111111111");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, errc::not_found);
  auto sink = start();
  service_->stop();
  ASSERT_TRUE(sink->ended);
  EXPECT_FALSE(subscribe().ok()) << "no new subscriptions once stopped";
}

}  // namespace
}  // namespace sluice::stream
