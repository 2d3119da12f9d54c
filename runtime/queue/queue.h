#pragma once
// One SQS queue: its messages, their visibility, FIFO groups, deduplication,
// long-poll waiters and dead-letter redrive.
//
// Lifecycle: made by QueueService (create or recovery), shared by the requests
// that use it, and retired by QueueService::delete_queue, after which every call
// fails with queue_does_not_exist and waiters are answered empty.
//
// Threading: every public method may be called from any thread. State is guarded
// by one mutex per queue; store commits and completion callbacks always run with
// the mutex released. Callbacks may run on the caller's thread, on the store's
// committer thread or on a Scheduler worker.
//
// Durability: a sent message becomes receivable only once its batch is committed
// (read-committed); sends, deletes and visibility changes are acknowledged after
// the commit at the queue's durability; receive bookkeeping is written without
// waiting (see runtime/storage/LAYOUT.md).

#include <array>
#include <atomic>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/scheduler.h"
#include "runtime/queue/attributes.h"
#include "runtime/queue/errors.h"
#include "runtime/queue/message.h"
#include "runtime/queue/probe.h"
#include "runtime/queue/queue_format.h"
#include "runtime/storage/store.h"

namespace sluice::queue {

struct SendEntry {
  std::string body;
  std::optional<Md5> body_md5;  // computed by the sender when it has it (SNS fan-out)
  std::optional<int> delay_seconds;
  MessageAttributes attributes;
  MessageAttributes system_attributes;  // AWSTraceHeader only
  std::optional<std::string> group_id;  // FIFO; optional tenant key on standard (fair) queues
  std::string deduplication_id;         // FIFO only
  std::string sender_id;
};

struct SendOutcome {
  std::string message_id;
  Md5 md5_body{};
  std::optional<Md5> md5_attributes;
  std::optional<Md5> md5_system_attributes;
  std::string sequence_number;  // FIFO only
};

struct ReceiveRequest {
  int max_messages = 1;
  std::optional<int> visibility_timeout;
  std::optional<int> wait_seconds;  // unset: the queue's ReceiveMessageWaitTimeSeconds
  std::string attempt_id;           // FIFO ReceiveRequestAttemptId
};

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  MessageBlob blob;
  TimeMs sent_ms = 0;
  TimeMs first_receive_ms = 0;
  uint32_t receive_count = 0;
  std::string group_id;
  std::string sequence_number;  // FIFO only
};

struct VisibilityChange {
  std::string receipt_handle;
  int visibility_timeout = 0;
};

struct QueueCounts {
  uint64_t visible = 0;
  uint64_t inflight = 0;
  uint64_t delayed = 0;
  TimeMs oldest_sent_ms = 0;  // 0 when empty
};

// A message leaving one queue for another (dead-letter redrive, move tasks).
struct TransferredMessage {
  MessageId id{};
  TimeMs sent_ms = 0;
  std::string group_id;
  uint32_t size = 0;
  Seq source_seq = 0;
  std::string blob;  // encoded MessageBlob
};

using SendCallback = std::function<void(std::vector<Result<SendOutcome>>)>;
using ReceiveCallback = std::function<void(Result<std::vector<ReceivedMessage>>)>;
using BatchCallback = std::function<void(std::vector<Status>)>;
using StatusCallback = std::function<void(Status)>;

class Queue;
using QueuePtr = std::shared_ptr<Queue>;

// What a queue needs from the service that owns it.
class QueueHost {
 public:
  virtual ~QueueHost() = default;
  // Moves messages that exceeded maxReceiveCount into `dlq`.
  virtual void redrive(const QueuePtr& from, const QueuePtr& dlq, std::vector<TransferredMessage> messages) = 0;
};

struct QueueIdentity {
  std::string account;
  std::string name;
  std::string region;
  uint64_t uid = 0;
  std::string arn() const;
};

class Queue : public std::enable_shared_from_this<Queue> {
 public:
  Queue(QueueIdentity identity, QueueAttributes attributes, TimeMs created_ms, storage::Store& store, Clock& clock,
        Scheduler& scheduler, QueueHost* host);
  ~Queue();
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  const QueueIdentity& identity() const { return identity_; }
  const std::string& name() const { return identity_.name; }
  const std::string& arn() const { return arn_; }
  bool fifo() const { return fifo_; }
  storage::Store& store() const { return store_; }
  QueueProbe& probe() { return probe_; }

  // --- messages -----------------------------------------------------------
  void send(std::vector<SendEntry> entries, SendCallback done);

  // Sending as two halves, for a caller that commits the messages together with
  // its own writes (SNS stores a publish and its queue copies in one commit):
  // stage_send() checks the entries and puts what it stores into `batch`;
  // complete_send() must follow with the commit's outcome, and only then are the
  // messages receivable and the results final.
  struct StagedSend {
    std::vector<Result<SendOutcome>> results;
    std::vector<Seq> seqs;
    std::vector<uint32_t> sizes;
    storage::Durability durability = storage::Durability::sync;
  };
  StagedSend stage_send(std::vector<SendEntry> entries, storage::WriteBatch& batch);
  void complete_send(StagedSend& staged, bool ok);
  void receive(ReceiveRequest request, ReceiveCallback done);
  void delete_messages(std::vector<std::string> receipt_handles, BatchCallback done);
  void change_visibility(std::vector<VisibilityChange> changes, BatchCallback done);
  // Deletes every message; AWS allows one purge per 60 seconds.
  void purge(StatusCallback done);

  // --- settings and state -------------------------------------------------
  QueueAttributes attributes() const;
  // Replaces the attributes (already validated by the caller).
  void set_attributes(const QueueAttributes& attributes);
  QueueCounts counts();
  TimeMs created_ms() const { return created_ms_; }
  TimeMs modified_ms() const;
  TimeMs last_purge_ms() const;

  std::vector<std::pair<std::string, std::string>> tags() const;
  void set_tags(std::vector<std::pair<std::string, std::string>> tags);

  // The queue named by this queue's RedrivePolicy, as resolved by the service.
  void set_dead_letter_queue(std::weak_ptr<Queue> dlq);

  // --- service hooks ------------------------------------------------------
  // The persisted queue record of this queue as it is now (queue_format.h).
  format::QueueRecord record() const;
  // Restores messages and deduplication entries from the store (at start-up).
  // Returns how many unreadable records were skipped; false on an I/O error.
  struct Recovered {
    bool ok = true;
    uint64_t messages = 0;
    uint64_t skipped = 0;
  };
  Recovered recover();
  // Ends the queue: waiters are answered empty, later calls fail.
  void retire();
  // Answers every waiting long poll now, empty (at shutdown).
  void release_waiters();
  bool retired() const;

  // Takes up to `limit` visible messages for a move task; those with seq > max_seq
  // (sent after the task started) are left alone.
  std::vector<TransferredMessage> extract_for_move(size_t limit, Seq max_seq);
  // Puts back messages taken by extract_for_move or a redrive that could not move
  // (their records never left the store): they are visible again.
  void restore(std::vector<TransferredMessage> messages);
  // Highest sequence assigned so far.
  Seq last_seq() const;
  // Adds messages taken from another queue to `batch` (not yet visible) and
  // returns the action that makes them visible once the batch is committed.
  // Receive counts start again from zero in the new queue.
  std::function<void(bool ok)> import(std::vector<TransferredMessage>& messages, storage::WriteBatch& batch);
  // Store operations that remove transferred messages from this queue.
  void append_removal(const std::vector<TransferredMessage>& messages, storage::WriteBatch& batch) const;

 private:
  enum class State : uint8_t { pending, delayed, ready, inflight };
  struct Group;

  struct Message {
    MessageId id{};
    TimeMs sent_ms = 0;
    TimeMs available_ms = 0;  // delayed until, or invisible until
    TimeMs first_receive_ms = 0;
    TimeMs received_ms = 0;  // start of the current in-flight period
    Group* group = nullptr;
    uint32_t receive_count = 0;
    uint32_t nonce = 0;  // bumped by every receive; part of the receipt handle
    uint32_t size = 0;
    uint32_t timer_gen = 0;  // invalidates stale entries of the availability heap
    State state = State::pending;
  };

  struct Group {
    std::string id;
    std::priority_queue<Seq, std::vector<Seq>, std::greater<>> ready;  // may hold stale entries
    uint32_t inflight = 0;
    uint32_t messages = 0;
    bool in_ring = false;
  };

  struct TimerEntry {
    TimeMs due;
    Seq seq;
    uint32_t gen;
    bool operator>(const TimerEntry& o) const { return due > o.due; }
  };
  struct ExpiryEntry {
    TimeMs expires;
    Seq seq;
    bool operator>(const ExpiryEntry& o) const { return expires > o.expires; }
  };

  struct Dedup {
    std::string message_id;
    std::string sequence_number;
    TimeMs expires_ms;
  };

  struct Attempt {
    TimeMs expires_ms;
    std::vector<std::pair<Seq, uint32_t>> messages;  // seq, nonce
  };

  struct Pick {
    Seq seq;
    MessageId id;
    uint32_t nonce;
    uint32_t receive_count;
    TimeMs sent_ms, first_receive_ms;
    std::string group_id;
  };

  struct Waiter {
    ReceiveRequest request;
    ReceiveCallback done;
    std::atomic<bool> claimed{false};
    TimerId timer = 0;
  };

  struct Wakeup {
    std::shared_ptr<Waiter> waiter;
    std::vector<Pick> picks;
  };

  // All *_locked members require mu_.
  void advance_locked(TimeMs now);
  Group* group_locked(const std::string& id);
  void release_group_locked(Group* g);
  void make_ready_locked(Seq seq, Message& m);
  void make_eligible_locked(Group* g);
  bool pop_ready_locked(Group* g, Seq& seq);
  void erase_locked(Seq seq, storage::WriteBatch& batch);
  std::vector<Pick> take_locked(const ReceiveRequest& req, TimeMs now, std::vector<TransferredMessage>& to_dlq,
                                storage::WriteBatch& batch);
  void serve_waiters_locked(std::vector<Wakeup>& out, storage::WriteBatch& batch,
                            std::vector<TransferredMessage>& to_dlq);
  void arm_wake_timer_locked();
  void put_meta_locked(Seq seq, const Message& m, storage::WriteBatch& batch) const;
  // The handle of the message's current receive, whose visibility timeout still runs.
  static bool current_handle_locked(const Message& m, uint32_t nonce) {
    return m.state == State::inflight && m.nonce == nonce;
  }
  std::string receipt_handle(Seq seq, uint32_t nonce) const;
  bool parse_receipt_handle(std::string_view handle, Seq& seq, uint32_t& nonce) const;
  Seq next_seq_locked(TimeMs now);
  void activate(const std::vector<Seq>& seqs, bool ok);
  void on_wake_timer();

  // Finishes work prepared under the lock: commits bookkeeping, redrives
  // messages, answers woken waiters.
  void finish(std::vector<Wakeup> wakeups, storage::WriteBatch batch, std::vector<TransferredMessage> to_dlq);
  void deliver(std::vector<Pick> picks, const ReceiveCallback& done);
  // Makes picked messages visible again at once (their bodies could not be read).
  void release(const std::vector<Pick>& picks);
  ReceiveRequest normalize(ReceiveRequest r) const;

  const QueueIdentity identity_;
  const std::string arn_;
  const bool fifo_;
  const TimeMs created_ms_;
  storage::Store& store_;
  Clock& clock_;
  Scheduler& scheduler_;
  QueueHost* host_;
  QueueProbe probe_;

  mutable std::mutex mu_;
  QueueAttributes attrs_;
  TimeMs modified_ms_;
  TimeMs last_purge_ms_ = 0;
  std::vector<std::pair<std::string, std::string>> tags_;
  std::weak_ptr<Queue> dead_letter_queue_;
  bool retired_ = false;

  Seq last_seq_ = 0;
  std::unordered_map<Seq, Message> messages_;
  std::unordered_map<std::string, Group> groups_;
  std::deque<Group*> ring_;  // groups that may have receivable messages
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> availability_;
  std::priority_queue<ExpiryEntry, std::vector<ExpiryEntry>, std::greater<>> expiry_;
  uint64_t visible_ = 0, inflight_ = 0, delayed_ = 0;

  std::unordered_map<std::string, Dedup> dedup_;
  std::deque<std::pair<TimeMs, std::string>> dedup_order_;
  std::unordered_map<std::string, Attempt> attempts_;
  std::deque<std::pair<TimeMs, std::string>> attempt_order_;

  std::deque<std::shared_ptr<Waiter>> waiters_;
  TimerId wake_timer_ = 0;
  TimeMs wake_due_ = 0;
  storage::WriteBatch housekeeping_;  // deletions found by advance_locked
};

}  // namespace sluice::queue
