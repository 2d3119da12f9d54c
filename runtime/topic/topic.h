#pragma once
// One SNS topic: its settings, its subscriptions and its log of published
// messages. Publish stores the message and answers; fan-out happens after, each
// subscription reading the log from its own cursor (subscription.h). The log
// keeps in memory what some confirmed subscription has yet to deliver, and in
// the store also what a FIFO topic's deduplication window (5 minutes) and its
// archive (ArchivePolicy) still need; sweep() drops the rest.
//
// Ordering: sequence numbers are assigned and commits issued under one lock,
// so the store's callbacks (which run in commit order) make messages visible
// in sequence order, and a subscription never skips a message that is still
// being stored.
//
// Threading: every public method may be called from any thread; store commits
// and callbacks run without the topic's state lock.

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/storage/durability.h"
#include "runtime/storage/store.h"
#include "runtime/topic/attributes.h"
#include "runtime/topic/delivery_policy.h"
#include "runtime/topic/published.h"
#include "runtime/topic/subscription.h"
#include "runtime/topic/topic_format.h"

namespace sluice::topic {

struct TopicKey {
  std::string region;
  std::string account;
  std::string name;
  std::string arn() const { return "arn:aws:sns:" + region + ":" + account + ":" + name; }
};

// Counters behind the CloudWatch SNS metrics, per topic.
struct TopicProbe {
  std::atomic<uint64_t> published{0};
  std::atomic<uint64_t> publish_bytes{0};
  std::atomic<uint64_t> deduplicated{0};
};

using PublishCallback = std::function<void(std::vector<Result<PublishOutcome, Error>>)>;

class Topic : public std::enable_shared_from_this<Topic> {
 public:
  // `memory_bytes` bounds the messages held in memory for delivery; older ones
  // are read back from the store by the subscriptions that still need them.
  Topic(TopicKey key, format::TopicRecord record, storage::Store& store, storage::Durability durability, Clock& clock,
        size_t memory_bytes = kDefaultMemoryBytes);
  static constexpr size_t kDefaultMemoryBytes = 64u << 20;

  const TopicKey& key() const { return key_; }
  const std::string& arn() const { return arn_; }
  const std::string& name() const { return key_.name; }
  uint64_t uid() const { return uid_; }
  bool fifo() const { return fifo_; }
  TopicProbe& probe() { return probe_; }

  format::TopicRecord record() const;
  void set_record(format::TopicRecord record);  // the service validated it
  Attributes attributes() const;
  StringPairs tags() const;
  int signature_version() const;
  std::optional<DeliveryPolicy> delivery_policy() const;
  // Days of archive (ArchivePolicy), 0 for none.
  int archive_days() const;

  // --- messages -----------------------------------------------------------
  // Checks each entry, deduplicates (FIFO), stores the new ones in one batch and
  // answers once it is durable; subscriptions are woken after.
  void publish(std::vector<PublishEntry> entries, PublishCallback done);
  // The first stored message at or after `from`, or null.
  PublishedPtr next(Seq from) const;
  // The sequence the next message will get (everything below is stored or failed).
  Seq end() const;
  // The oldest message still held for delivery, by its timestamp (0 when none).
  TimeMs oldest_held_ms() const;

  // --- subscriptions ------------------------------------------------------
  void add(const SubscriptionPtr& subscription);
  SubscriptionPtr remove(const std::string& subscription_arn);
  std::vector<SubscriptionPtr> subscriptions() const;
  size_t subscription_count() const;
  void count_deleted() { deleted_subscriptions_++; }
  uint64_t deleted_subscriptions() const { return deleted_subscriptions_.load(); }

  // --- upkeep ---------------------------------------------------------------
  // Drops from memory what every confirmed subscription has delivered, and adds to
  // `batch` the removal of stored messages nothing needs any more.
  void sweep(storage::WriteBatch& batch);
  // Loads stored messages at and after `from` (recovery), and dedup entries of the
  // last five minutes (FIFO). Returns false on an I/O error.
  bool recover(Seq from, Seq next_seq, uint64_t& skipped);
  // The first stored message published at or after `from_ms` (archive replay).
  PublishedPtr first_archived_after(TimeMs from_ms) const;
  void retire();
  bool retired() const;

 private:
  struct Dedup {
    TimeMs expires_ms = 0;
    PublishOutcome outcome;
  };
  Result<PublishEntry, Error> check(PublishEntry entry) const;
  PublishedPtr stored_at_or_after(Seq from) const;
  void hold_locked(PublishedPtr message);
  void drop_oldest_locked();
  void expire_dedup_locked(TimeMs now);

  const TopicKey key_;
  const std::string arn_;
  const uint64_t uid_;
  const bool fifo_;
  storage::Store& store_;
  const storage::Durability durability_;
  Clock& clock_;
  TopicProbe probe_;
  std::atomic<uint64_t> deleted_subscriptions_{0};

  std::mutex order_mu_;  // sequence assignment + commit issue, in one order
  mutable std::mutex mu_;
  format::TopicRecord record_;
  std::optional<DeliveryPolicy> delivery_policy_;  // parsed from record_ once, not per delivery
  bool retired_ = false;
  Seq next_seq_ = 1;  // guarded by order_mu_
  Seq end_ = 1;       // visible end; guarded by mu_
  const size_t memory_bytes_;
  std::map<Seq, PublishedPtr> log_;
  size_t log_bytes_ = 0;
  std::vector<SubscriptionPtr> subscriptions_;
  std::unordered_map<std::string, Dedup> dedup_;
  std::deque<std::pair<TimeMs, std::string>> dedup_order_;
  Seq swept_ = 0;  // stored messages below this were removed
};

using TopicPtr = std::shared_ptr<Topic>;

}  // namespace sluice::topic
