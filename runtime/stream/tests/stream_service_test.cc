#include "runtime/stream/stream_service.h"

#include <gtest/gtest.h>

#include "runtime/stream/resharding.h"
#include "runtime/stream/testing/stream_fixture.h"

namespace sluice::stream {
namespace {

class StreamServiceTest : public testing::StreamFixture {
 protected:
  size_t stored_records() {
    size_t n = 0;
    store_.scan(storage::key_of(storage::Tag::stream_record), [&](std::string_view, std::string_view) {
      ++n;
      return true;
    });
    return n;
  }
  void restart() {
    service_ = std::make_unique<StreamService>(options(), store_, clock, scheduler);
    ASSERT_TRUE(service_->recover().ok());
  }
};

TEST_F(StreamServiceTest, CreateRefusesADuplicateAndBadNames) {
  create("orders");
  CreateRequest again;
  again.key = {"us-east-1", "000000000000", "orders"};
  service_->create_stream(again, [](Result<StreamPtr, Error> r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, errc::already_exists);
  });
  CreateRequest bad = again;
  bad.key.name = "no spaces";
  service_->create_stream(bad, [](Result<StreamPtr, Error> r) { EXPECT_EQ(r.error().code, errc::invalid_argument); });
  // The same name in another account is another stream.
  CreateRequest other = again;
  other.key.account = "111111111111";
  service_->create_stream(other, [](Result<StreamPtr, Error> r) { EXPECT_TRUE(r.ok()); });
  EXPECT_EQ(service_->size(), 2u);
}

TEST_F(StreamServiceTest, RetentionRemovesExpiredRecordsByRangeAndKeepsTheRest) {
  auto s = create("retained");
  for (int i = 0; i < 10; ++i) put(s, "k", "old");
  clock.advance(23 * 3'600'000);
  for (int i = 0; i < 5; ++i) put(s, "k", "new");
  clock.advance(3'600'000 + 1);  // the old ones are 24 h and 1 ms old
  service_->sweep();
  EXPECT_EQ(stored_records(), 5u);
  EXPECT_EQ(drain(iterator(s, 0)), std::vector<std::string>(5, "new"));
}

TEST_F(StreamServiceTest, RetentionBoundsAndDirectionsAreAwss) {
  auto s = create("bounds");
  EXPECT_FALSE(update(s, changes::retention(23, false)));
  EXPECT_FALSE(update(s, changes::retention(8761, true)));
  EXPECT_TRUE(update(s, changes::retention(48, true)));
  EXPECT_FALSE(update(s, changes::retention(36, true))) << "Increase to less than the current period";
  EXPECT_FALSE(update(s, changes::retention(72, false))) << "Decrease to more than the current period";
  EXPECT_TRUE(update(s, changes::retention(24, false)));
  EXPECT_EQ(s->record().retention_hours, 24);
}

TEST_F(StreamServiceTest, ClosedShardsLeaveTheTableOnceTheirRecordsExpire) {
  auto s = create("forget");
  put(s, "k", "x");
  ASSERT_TRUE(update(s, changes::split(shard_id(0), HashKey(1) << 127)));
  EXPECT_EQ(s->view().shards.size(), 3u);
  clock.advance(25 * 3'600'000);
  service_->sweep();
  EXPECT_EQ(s->view().shards.size(), 2u);
}

TEST_F(StreamServiceTest, RecoveryServesEveryRecordAndNumbersGoOnAbove) {
  auto s = create("durable", 2);
  std::vector<uint64_t> counters;
  for (int i = 0; i < 20; ++i) counters.push_back(put(s, "k" + std::to_string(i), std::to_string(i)).counter);
  ASSERT_TRUE(update(s, changes::register_consumer("app")));
  ASSERT_TRUE(update(s, changes::split(shard_id(1), even_range(1, 2).start + 1000)));
  restart();
  auto again = service_->find(s->arn());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->record().consumers.size(), 1u);
  EXPECT_EQ(again->view().open_shards, 3u);
  EXPECT_EQ(drain(iterator(again, 0)).size() + drain(iterator(again, 1)).size(), 20u);
  const auto next = put(again, "k0", "after");
  if (next.shard == 0) {
    EXPECT_GT(next.counter, *std::max_element(counters.begin(), counters.end()));
  }
}

TEST_F(StreamServiceTest, DeletionRemovesRecordsAndRecoveryRemovesOrphans) {
  auto s = create("gone");
  for (int i = 0; i < 3; ++i) put(s, "k", "x");
  // Records of a stream no record knows (a crash between two writes).
  storage::WriteBatch orphan;
  orphan.put(format::record_key(12345, 0, 1), "x");
  store_.commit(std::move(orphan), storage::Durability::sync, [](bool) {});
  restart();
  EXPECT_EQ(stored_records(), 3u);
  auto again = service_->find(s->arn());
  bool deleted = false;
  service_->delete_stream(again, false, [&](Status<Error> st) { deleted = bool(st); });
  EXPECT_TRUE(deleted);
  EXPECT_EQ(stored_records(), 0u);
  EXPECT_FALSE(service_->find(s->arn()));
}

TEST_F(StreamServiceTest, DeletionWithConsumersNeedsEnforceConsumerDeletion) {
  auto s = create("fanout");
  ASSERT_TRUE(update(s, changes::register_consumer("a")));
  EXPECT_FALSE(update(s, changes::register_consumer("a"))) << "names are unique";
  service_->delete_stream(s, false, [](Status<Error> st) { EXPECT_EQ(st.error().code, errc::state_conflict); });
  auto c = service_->consumer(s, "a");
  ASSERT_TRUE(c);
  EXPECT_EQ(service_->consumer(c->arn)->name, "a");
  for (int i = 1; i < 20; ++i) ASSERT_TRUE(update(s, changes::register_consumer("c" + std::to_string(i))));
  EXPECT_EQ(update(s, changes::register_consumer("one-too-many")).error().code, errc::limit_exceeded);
  service_->delete_stream(s, true, [](Status<Error> st) { EXPECT_TRUE(st); });
}

TEST_F(StreamServiceTest, ShardLimitIsPerAccountAndRegion) {
  StreamServiceOptions o = options();
  o.shard_limit = 5;
  service_ = std::make_unique<StreamService>(o, store_, clock, scheduler);
  create("a", 4);
  CreateRequest r;
  r.key = {"us-east-1", "000000000000", "b"};
  r.settings.shard_count = 2;
  service_->create_stream(r, [](Result<StreamPtr, Error> s) { EXPECT_EQ(s.error().code, errc::limit_exceeded); });
  r.key.region = "eu-west-1";
  service_->create_stream(r, [](Result<StreamPtr, Error> s) { EXPECT_TRUE(s.ok()); });
  EXPECT_EQ(service_->limits("us-east-1", "000000000000").open_shards, 4u);
}

TEST_F(StreamServiceTest, OnDemandSplitsAHotShardAndMergesColdOnesBack) {
  auto s = create("auto", 0, true);
  EXPECT_EQ(s->view().open_shards, 4u);
  // 10 s of 800 records/s into shard 0: hot.
  for (int i = 0; i < 8000; ++i) put(s, "k", "x", 0);
  service_->sweep();
  EXPECT_EQ(s->view().open_shards, 5u);
  // Quiet for a minute: the two halves merge again.
  for (int i = 0; i < 6; ++i) service_->sweep();
  EXPECT_EQ(s->view().open_shards, 4u);
}

TEST_F(StreamServiceTest, ASpecEditReshardsInStepsAwsAllows) {
  auto s = create("spec", 1);
  changes::Settings want;
  want.shard_count = 6;  // more than double: steps 1 -> 2 -> 4 -> 6
  ASSERT_TRUE(update(s, changes::apply(want)));
  EXPECT_EQ(s->view().open_shards, 6u);
  EXPECT_EQ(update(s, changes::shard_count(13)).error().code, errc::limit_exceeded);
  ASSERT_TRUE(update(s, changes::shard_count(3)));
  EXPECT_EQ(s->view().open_shards, 3u);
}

TEST_F(StreamServiceTest, TagsFollowAwsLimits) {
  auto s = create("tags");
  format::StringPairs many;
  for (int i = 0; i < 51; ++i) many.emplace_back("k" + std::to_string(i), "v");
  EXPECT_EQ(update(s, changes::add_tags(many)).error().code, errc::limit_exceeded);
  ASSERT_TRUE(update(s, changes::add_tags({{"team", "a"}})));
  ASSERT_TRUE(update(s, changes::add_tags({{"team", "b"}})));
  EXPECT_EQ(s->record().tags, (format::StringPairs{{"team", "b"}}));
  ASSERT_TRUE(update(s, changes::remove_tags({"team"})));
  EXPECT_TRUE(s->record().tags.empty());
}

}  // namespace
}  // namespace sluice::stream
