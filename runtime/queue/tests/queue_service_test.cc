// Queue lifecycle and settings through QueueService: names, idempotent create,
// delete-then-recreate, listing, attributes, tags and permissions.

#include "runtime/queue/tests/queue_fixture.h"

namespace sluice::queue::testing {
namespace {

class QueueServiceTest : public QueueFixture {};

TEST_F(QueueServiceTest, CreateIsIdempotentOnlyWithMatchingAttributes) {
  auto a = create("orders", {{"VisibilityTimeout", "45"}});
  auto again = create_queue(kAccount, "orders", {{"VisibilityTimeout", "45"}}, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, a);
  EXPECT_TRUE(create_queue(kAccount, "orders", {}, {}).ok());
  auto clash = create_queue(kAccount, "orders", {{"VisibilityTimeout", "46"}}, {});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, errc::already_exists);
}

TEST_F(QueueServiceTest, QueueNamesFollowTheSqsRules) {
  EXPECT_TRUE(create_queue(kAccount, std::string(80, 'a'), {}, {}).ok());
  EXPECT_FALSE(create_queue(kAccount, std::string(81, 'a'), {}, {}).ok());
  EXPECT_FALSE(create_queue(kAccount, "has space", {}, {}).ok());
  EXPECT_FALSE(create_queue(kAccount, "dot.ted", {}, {}).ok());
  EXPECT_FALSE(create_queue(kAccount, "x.fifo", {}, {}).ok());
  EXPECT_FALSE(create_queue(kAccount, "x", {{"FifoQueue", "true"}}, {}).ok());
  EXPECT_TRUE(create_queue(kAccount, "Mixed_Case-1.fifo", {{"FifoQueue", "true"}}, {}).ok());
  EXPECT_EQ(create_queue(kAccount, "", {}, {}).error().code, errc::missing_argument);
}

TEST_F(QueueServiceTest, ANameIsReusableSixtySecondsAfterDelete) {
  create("temp");
  ASSERT_TRUE(delete_queue(kAccount, "temp").ok());
  EXPECT_EQ(delete_queue(kAccount, "temp").error().code, errc::not_found);
  auto soon = create_queue(kAccount, "temp", {}, {});
  ASSERT_FALSE(soon.ok());
  EXPECT_EQ(soon.error().code, errc::state_conflict);
  clock.advance(60'000);
  EXPECT_TRUE(create_queue(kAccount, "temp", {}, {}).ok());
}

TEST_F(QueueServiceTest, ARecreatedQueueStartsEmpty) {
  auto q = create("temp");
  send_ok(q, "old");
  ASSERT_TRUE(delete_queue(kAccount, "temp", /*api=*/false).ok());
  auto fresh = create("temp");
  EXPECT_EQ(fresh->counts().visible, 0u);
  EXPECT_EQ(durable.size(), 1u);
}

TEST_F(QueueServiceTest, ListsQueuesByPrefixAndPage) {
  for (auto n : {"alpha", "beta", "beta-2", "gamma"}) create(n);
  ASSERT_TRUE(create_queue("111111111111", "beta-other-account", {}, {}).ok());
  auto all = list_queues(kAccount, "", std::nullopt, "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->queues.size(), 4u);
  EXPECT_TRUE(all->next_token.empty());
  auto betas = list_queues(kAccount, "beta", std::nullopt, "");
  EXPECT_EQ(betas->queues.size(), 2u);
  auto p1 = list_queues(kAccount, "", 3, "");
  ASSERT_EQ(p1->queues.size(), 3u);
  auto p2 = list_queues(kAccount, "", 3, p1->next_token);
  ASSERT_EQ(p2->queues.size(), 1u);
  EXPECT_EQ(p2->queues[0]->name(), "gamma");
  EXPECT_EQ(list_queues(kAccount, "", 0, "").error().code, errc::invalid_argument);
  EXPECT_EQ(list_queues(kAccount, "", 1001, "").error().code, errc::invalid_argument);
}

TEST_F(QueueServiceTest, SetAttributesValidatesEverythingBeforeChangingAnything) {
  auto q = create("q");
  auto bad = set_attributes(q, {{"VisibilityTimeout", "60"}, {"DelaySeconds", "901"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, errc::invalid_argument);
  EXPECT_EQ(q->attributes().visibility_timeout, 30);
  EXPECT_EQ(set_attributes(q, {{"NoSuchThing", "1"}}).error().code, errc::not_found);
  EXPECT_EQ(set_attributes(q, {{"ContentBasedDeduplication", "true"}}).error().code, errc::not_found);
  ASSERT_TRUE(set_attributes(q, {{"VisibilityTimeout", "60"}}).ok());
  EXPECT_EQ(q->attributes().visibility_timeout, 60);
}

TEST_F(QueueServiceTest, TagsAreAddedReplacedAndRemoved) {
  auto q = create_queue(kAccount, "q", {}, {{"team", "a"}});
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(tag_queue(*q, {{"team", "b"}, {"env", "dev"}}).ok());
  auto tags = (*q)->tags();
  EXPECT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0], (std::pair<std::string, std::string>{"team", "b"}));
  ASSERT_TRUE(untag_queue(*q, {"team"}).ok());
  EXPECT_EQ((*q)->tags().size(), 1u);
  StringPairs too_many;
  for (int i = 0; i < 51; ++i) too_many.emplace_back("k" + std::to_string(i), "v");
  EXPECT_FALSE(tag_queue(*q, too_many).ok());
}

TEST_F(QueueServiceTest, PermissionsAreStatementsOfTheQueuePolicy) {
  auto q = create("q");
  ASSERT_TRUE(add_permission(q, "send", {"111122223333"}, {"SendMessage"}).ok());
  auto policy = q->attributes().policy;
  EXPECT_NE(policy.find("\"Sid\":\"send\""), std::string::npos);
  EXPECT_NE(policy.find("arn:aws:iam::111122223333:root"), std::string::npos);
  EXPECT_NE(policy.find("SQS:SendMessage"), std::string::npos);
  EXPECT_FALSE(add_permission(q, "send", {"111122223333"}, {"SendMessage"}).ok());
  EXPECT_FALSE(add_permission(q, "other", {"111122223333"}, {"Fly"}).ok());
  ASSERT_TRUE(remove_permission(q, "send").ok());
  EXPECT_TRUE(q->attributes().policy.empty());
  EXPECT_FALSE(remove_permission(q, "send").ok());
}

TEST_F(QueueServiceTest, ApplyCreatesThenUpdatesInPlace) {
  QueueAttributes a;
  a.visibility_timeout = 10;
  auto q = apply_queue(kAccount, "managed", a, {{"owner", "ops"}});
  ASSERT_TRUE(q.ok());
  send_ok(*q, "kept");
  a.visibility_timeout = 20;
  auto again = apply_queue(kAccount, "managed", a, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *q);
  EXPECT_EQ((*q)->attributes().visibility_timeout, 20);
  EXPECT_TRUE((*q)->tags().empty());
  EXPECT_EQ((*q)->counts().visible, 1u);
  a.fifo_queue = true;
  EXPECT_FALSE(apply_queue(kAccount, "managed", a, {}).ok());
}

}  // namespace
}  // namespace sluice::queue::testing
