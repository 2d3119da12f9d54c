#pragma once
// One subscription: what it receives (filter policy), how (protocol, raw or
// envelope) and its delivery loop. Each subscription delivers from its own
// cursor into the topic's log at its own pace, with a bounded window of
// deliveries in flight, so a slow or dead endpoint holds up nobody else. A
// message that fails is retried by the delivery policy (timers, not threads)
// while later messages go on; once the policy is spent (or at once, for a
// client-side failure) it goes to the subscription's dead-letter queue, or is
// dropped and counted. The cursor (every message below it is done) is written
// to the store as it advances, without waiting, so a restart resumes each
// subscription where it was; messages in flight at a crash are delivered again
// (at-least-once, as SNS).
//
// FIFO topics deliver one batch at a time per subscription, in sequence order,
// so each message group's order is kept in the queue.
//
// Write-through: an SQS subscription that is caught up does not wait for the
// log at all. Its queue copies go into the publish's own commit (take_inline),
// so a publish to N caught-up queues is one write; and when every subscription
// took it so, a standard topic does not write the message to its log either.
// A subscription that falls behind (a failure, a retry, a full window) reads
// the log until it has caught up again.
//
// Threading: every public method may be called from any thread; deliveries and
// their callbacks run with the subscription's lock released.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/storage/store.h"
#include "runtime/topic/attributes.h"
#include "runtime/topic/delivery.h"
#include "runtime/topic/delivery_policy.h"
#include "runtime/topic/filter/filter_policy.h"
#include "runtime/topic/topic_format.h"

namespace sluice::topic {

class Topic;

// Counters behind the CloudWatch SNS metrics, per subscription.
struct SubscriptionProbe {
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> dead_lettered{0};
  std::atomic<uint64_t> filtered_out{0};
  std::atomic<uint64_t> filtered_out_no_attributes{0};
  std::atomic<uint64_t> filtered_out_invalid_attributes{0};
  std::atomic<uint64_t> filtered_out_invalid_body{0};
  std::atomic<uint64_t> retries{0};
};

// The settings a subscription acts on, compiled from its attributes.
struct SubscriptionSettings {
  Attributes attributes;
  std::optional<FilterPolicy> filter;
  bool raw = false;
  std::optional<DeliveryPolicy> delivery_policy;  // the subscription's own
  std::string dead_letter_arn;
};

// Compiles attributes (already checked one by one) and checks the rules between
// them and the protocol: a filter policy valid in its scope, raw delivery only
// for sqs/http/https/firehose, a delivery policy only for http/https.
Result<SubscriptionSettings, Error> compile_settings(const Attributes& attributes, std::string_view protocol);

class Subscription : public std::enable_shared_from_this<Subscription> {
 public:
  Subscription(std::string arn, std::string topic_arn, format::SubscriptionRecord record, SubscriptionSettings settings,
               std::weak_ptr<Topic> topic, storage::Store& store, const DeliveryContext& context);
  ~Subscription();

  const std::string& arn() const { return arn_; }
  const std::string& topic_arn() const { return topic_arn_; }
  const std::string& protocol() const { return protocol_; }
  const std::string& endpoint() const { return endpoint_; }
  uint64_t uid() const { return uid_; }
  SubscriptionProbe& probe() { return probe_; }

  format::SubscriptionRecord record() const;
  SubscriptionSettings settings() const;
  void set_settings(SubscriptionSettings settings);
  bool confirmed() const;
  // Marks the subscription confirmed (its record is committed) and starts delivering
  // from `cursor`: the topic's end, or the recovered cursor.
  void confirm(bool authenticated, Seq cursor);
  // Sends SubscriptionConfirmation to an HTTP/S endpoint (Subscribe, recovery).
  void send_confirmation_request();
  // Sends UnsubscribeConfirmation to an HTTP/S endpoint (best effort).
  void send_unsubscribe_confirmation();

  // New messages were published (or a delivery slot freed): deliver what the window allows.
  void wake();

  // Write-through fan-out (Topic::publish): an SQS subscription that has
  // delivered everything before `messages` and has nothing in flight takes
  // them into the publish's own commit. The copies its filter lets through are
  // staged into `commit`, `durability` is raised to what the queue asks, and
  // `committed` must be called with the commit's outcome. Otherwise the
  // messages reach it through the topic's log, as any other subscription's.
  struct Inline {
    enum class Take : uint8_t {
      taken,
      not_subscribed,  // not confirmed, or retired: needs nothing
      from_log,        // behind, busy, not SQS, or its queue is gone
    };
    Take take;
    std::function<void(bool ok)> committed;
    bool keep_log = false;  // taken, but the queue refused some: their retries need the log after a restart
  };
  Inline take_inline(const std::vector<PublishedPtr>& messages, storage::WriteBatch& commit,
                     storage::Durability& durability);
  // Signs what take_inline will put into envelopes, before the publish takes
  // the topic's order lock, so that no publish waits there for a signature.
  void presign(const std::vector<PublishedPtr>& messages);
  // Replays the archive from `from_ms` (ReplayPolicy): rewinds the cursor to the
  // first archived message at or after it.
  void replay_from(TimeMs from_ms);
  std::string replay_status() const;

  // Everything below the cursor is done; nothing at or above it is lost.
  Seq cursor() const;
  // Age of the oldest message not yet delivered (0 if none waits), for the lag metric.
  int64_t oldest_pending_age_ms() const;
  // Stops delivering; timers and callbacks in flight become no-ops.
  void retire();

 private:
  struct Inflight {
    PublishedPtr message;
    int attempts = 0;  // failed attempts so far
  };
  void pump();
  FilterOutcome filter_locked(const Published& m) const;
  void count_filtered(FilterOutcome outcome);
  bool writes_through_locked() const;
  void dispatch(std::vector<PublishedPtr> batch);
  void on_attempts(const std::vector<PublishedPtr>& batch, std::vector<Attempt> attempts);
  void retry_later(const PublishedPtr& message, int delay_seconds);
  void give_up(const PublishedPtr& message, const Attempt& attempt);
  void finish(Seq seq);
  void persist_cursor_locked();
  Target target_locked(const Topic& topic) const;

  const std::string arn_, topic_arn_, protocol_, endpoint_;
  const uint64_t uid_;
  std::weak_ptr<Topic> topic_;
  storage::Store& store_;
  const DeliveryContext& context_;
  std::unique_ptr<Deliverer> deliverer_;
  SubscriptionProbe probe_;

  mutable std::mutex mu_;
  format::SubscriptionRecord record_;
  SubscriptionSettings settings_;
  bool retired_ = false;
  bool pumping_ = false;
  bool repump_ = false;
  Seq cursor_ = 0;  // every message below is done
  Seq next_ = 0;    // the next message to consider
  std::map<Seq, Inflight> inflight_;
  size_t batches_inflight_ = 0;
  Seq persisted_cursor_ = 0;
  bool cursor_write_pending_ = false;
  std::string replay_status_;
  // Throttle (HTTP/S throttlePolicy): deliveries started in the current second.
  TimeMs throttle_second_ = 0;
  int throttle_count_ = 0;
  bool throttle_timer_ = false;
};

using SubscriptionPtr = std::shared_ptr<Subscription>;

}  // namespace sluice::topic
