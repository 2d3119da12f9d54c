#pragma once
// A QueueService on a ManualClock and ManualScheduler with in-memory stores, and
// synchronous helpers around the callback API. Memory stores commit inline, so
// sends and deletes complete before the helpers return; long polls complete when
// the test advances the clock or sends a message.

#include <gtest/gtest.h>

#include <optional>

#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/queue/queue_service.h"
#include "runtime/storage/memory_store.h"

namespace sluice::queue::testing {

inline constexpr const char* kAccount = "000000000000";
inline constexpr const char* kRegion = "us-east-1";

// Waits for a control-plane callback: with in-memory stores and the manual
// scheduler, every control operation completes within run_pending().
template <class R>
R await(sluice::testing::ManualScheduler& scheduler, const std::function<void(std::function<void(R)>)>& start) {
  std::optional<R> out;
  start([&](R r) { out.emplace(std::move(r)); });
  scheduler.run_pending();
  EXPECT_TRUE(out.has_value()) << "the operation did not complete";
  if (!out) return R(fail(errc::storage_failure, "", "did not complete"));
  return std::move(*out);
}

class QueueFixture : public ::testing::Test {
 protected:
  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::MemoryStore durable;
  storage::MemoryStore memory;
  std::unique_ptr<QueueService> service =
      std::make_unique<QueueService>(QueueServiceOptions{}, durable, memory, clock, scheduler);

  static QueueKey key(const std::string& account, const std::string& name, const std::string& region = kRegion) {
    return QueueKey{region, account, name};
  }

  // Synchronous forms of the service's control plane.
  Result<QueuePtr> create_queue(const std::string& account, const std::string& name, const StringPairs& attributes,
                                const StringPairs& tags, const std::string& region = kRegion) {
    return await<Result<QueuePtr>>(
        scheduler, [&](auto done) { service->create_queue(key(account, name, region), attributes, tags, done); });
  }
  Result<QueuePtr> apply_queue(const std::string& account, const std::string& name, const QueueAttributes& attributes,
                               const StringPairs& tags) {
    return await<Result<QueuePtr>>(
        scheduler, [&](auto done) { service->apply_queue(key(account, name), attributes, tags, done); });
  }
  Status delete_queue(const std::string& account, const std::string& name, bool api = true) {
    return await<Status>(scheduler, [&](auto done) { service->delete_queue(key(account, name), api, done); });
  }
  Status set_attributes(const QueuePtr& q, const StringPairs& attributes) {
    return await<Status>(scheduler, [&](auto done) { service->set_attributes(q, attributes, done); });
  }
  Status tag_queue(const QueuePtr& q, const StringPairs& tags) {
    return await<Status>(scheduler, [&](auto done) { service->tag_queue(q, tags, done); });
  }
  Status untag_queue(const QueuePtr& q, const std::vector<std::string>& keys) {
    return await<Status>(scheduler, [&](auto done) { service->untag_queue(q, keys, done); });
  }
  Status add_permission(const QueuePtr& q, const std::string& label, const std::vector<std::string>& accounts,
                        const std::vector<std::string>& actions) {
    return await<Status>(scheduler, [&](auto done) { service->add_permission(q, label, accounts, actions, done); });
  }
  Status remove_permission(const QueuePtr& q, const std::string& label) {
    return await<Status>(scheduler, [&](auto done) { service->remove_permission(q, label, done); });
  }
  Result<QueuePage> list_queues(const std::string& account, const std::string& prefix, std::optional<int> max,
                                const std::string& token) {
    return service->list_queues(kRegion, account, prefix, max, token);
  }

  QueuePtr create(const std::string& name, StringPairs attributes = {}) {
    auto q = create_queue(kAccount, name, attributes, {});
    EXPECT_TRUE(q.ok()) << (q.ok() ? "" : q.error().message);
    return q.ok() ? *q : nullptr;
  }

  static SendEntry entry(std::string body, std::string group = {}, std::string dedup = {}) {
    SendEntry e;
    e.body = std::move(body);
    if (!group.empty()) e.group_id = std::move(group);
    e.deduplication_id = std::move(dedup);
    e.sender_id = "AIDAEXAMPLE";
    return e;
  }

  std::vector<Result<SendOutcome>> send_all(const QueuePtr& q, std::vector<SendEntry> entries) {
    std::optional<std::vector<Result<SendOutcome>>> out;
    q->send(std::move(entries), [&](auto r) { out = std::move(r); });
    scheduler.run_pending();
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }

  Result<SendOutcome> send(const QueuePtr& q, SendEntry e) {
    std::vector<SendEntry> v;
    v.push_back(std::move(e));
    return std::move(send_all(q, std::move(v))[0]);
  }

  SendOutcome send_ok(const QueuePtr& q, std::string body, std::string group = {}, std::string dedup = {}) {
    auto r = send(q, entry(std::move(body), std::move(group), std::move(dedup)));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : SendOutcome{};
  }

  // Starts a receive; the result is available once `*slot` is set.
  std::shared_ptr<std::optional<Result<std::vector<ReceivedMessage>>>> start_receive(const QueuePtr& q,
                                                                                     ReceiveRequest req) {
    auto slot = std::make_shared<std::optional<Result<std::vector<ReceivedMessage>>>>();
    q->receive(std::move(req), [slot](auto r) { *slot = std::move(r); });
    scheduler.run_pending();
    return slot;
  }

  // A receive that must complete without waiting.
  std::vector<ReceivedMessage> receive(const QueuePtr& q, int max = 10, std::optional<int> visibility = {}) {
    ReceiveRequest req;
    req.max_messages = max;
    req.visibility_timeout = visibility;
    req.wait_seconds = 0;
    auto slot = start_receive(q, req);
    EXPECT_TRUE(slot->has_value());
    if (!slot->has_value()) return {};
    EXPECT_TRUE((*slot)->ok()) << ((*slot)->ok() ? "" : (*slot)->error().message);
    return (*slot)->ok() ? std::move(***slot) : std::vector<ReceivedMessage>{};
  }

  std::vector<Status> delete_all(const QueuePtr& q, std::vector<std::string> handles) {
    std::optional<std::vector<Status>> out;
    q->delete_messages(std::move(handles), [&](auto r) { out = std::move(r); });
    scheduler.run_pending();
    EXPECT_TRUE(out.has_value());
    return std::move(*out);
  }

  Status remove(const QueuePtr& q, const std::string& handle) { return delete_all(q, {handle})[0]; }

  Status change_visibility(const QueuePtr& q, const std::string& handle, int timeout) {
    std::optional<std::vector<Status>> out;
    q->change_visibility({VisibilityChange{handle, timeout}}, [&](auto r) { out = std::move(r); });
    scheduler.run_pending();
    EXPECT_TRUE(out.has_value());
    return (*out)[0];
  }

  Status purge(const QueuePtr& q) {
    std::optional<Status> out;
    q->purge([&](Status s) { out = s; });
    return *out;
  }

  static std::vector<std::string> bodies(const std::vector<ReceivedMessage>& msgs) {
    std::vector<std::string> out;
    for (const auto& m : msgs) out.push_back(m.blob.body);
    return out;
  }
};

}  // namespace sluice::queue::testing
