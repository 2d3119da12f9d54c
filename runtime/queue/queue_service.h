#pragma once
// QueueService: every queue of every region and account, and the operations
// that span queues: create/delete/list, attributes that refer to other queues
// (dead-letter targets and allow-lists), permissions, tags, message move tasks,
// and recovery of all of it from the store at start-up.
//
// Control-plane changes (create, apply, delete, attributes, tags, permissions)
// run one at a time on a Sequencer and answer through a callback once their
// record is durable; nothing waits for a commit and no lock is held while one is
// in flight, so a CreateQueue never stalls message traffic, which goes straight
// to the Queue objects (find() takes a shared lock for a map lookup only). A
// queue becomes visible to find() once its record is committed.
//
// Threading: every public method may be called from any thread; callbacks may
// run on the caller's thread or on the store's committer thread.

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/queue_targets.h"
#include "runtime/common/scheduler.h"
#include "runtime/common/sequencer.h"
#include "runtime/queue/attributes.h"
#include "runtime/queue/errors.h"
#include "runtime/queue/queue.h"
#include "runtime/storage/store.h"

namespace sluice::queue {

struct QueueServiceOptions {
  // Region of queue records written before regions were part of their key.
  std::string region = "us-east-1";
  // Durability of queues created through the AWS API (manifests choose their own).
  storage::Durability default_durability = storage::Durability::sync;
};

// Where a queue lives and what it is called: queues are per region and account, as on AWS.
struct QueueKey {
  std::string region;
  std::string account;
  std::string name;
  std::string arn() const { return "arn:aws:sqs:" + region + ":" + account + ":" + name; }
};

struct QueuePage {
  std::vector<QueuePtr> queues;
  std::string next_token;  // empty on the last page
};

enum class MoveTaskStatus : uint8_t { running, completed, cancelling, cancelled, failed };
std::string_view to_string(MoveTaskStatus s);

struct MoveTaskInfo {
  std::string task_handle;  // only while running
  MoveTaskStatus status = MoveTaskStatus::running;
  std::string source_arn;
  std::string destination_arn;  // empty: each message returns to the queue it came from
  std::optional<int> max_per_second;
  uint64_t moved = 0;
  uint64_t to_move = 0;
  std::string failure_reason;
  TimeMs started_ms = 0;
};

using QueueCallback = std::function<void(Result<QueuePtr>)>;

class QueueService final : public QueueHost, public QueueTargets {
 public:
  QueueService(QueueServiceOptions options, storage::Store& durable, storage::Store& memory, Clock& clock,
               Scheduler& scheduler);
  ~QueueService() override;

  // Loads every queue and its messages from the durable store (at start-up, before
  // anything else runs).
  struct Recovered {
    size_t queues = 0;
    uint64_t messages = 0;
    uint64_t skipped_records = 0;  // unreadable message records, left out
    uint64_t orphan_ranges = 0;    // records of deleted queues, removed
  };
  Result<Recovered> recover();

  const QueueServiceOptions& options() const { return options_; }

  // --- control plane: one at a time, answered once durable -------------------
  // CreateQueue: idempotent when the given attributes match the existing queue.
  void create_queue(const QueueKey& key, const StringPairs& attributes, const StringPairs& tags, QueueCallback done);
  // Create-or-update from a typed spec (manifests, admin API). `tags` replace the queue's tags.
  void apply_queue(const QueueKey& key, const QueueAttributes& attributes, const StringPairs& tags, QueueCallback done);
  // What apply_queue would refuse about the queue's own settings and the queues
  // it names (for checking a set of manifests before applying any).
  Status check_apply(const QueueKey& key, const QueueAttributes& attributes) const;
  // DeleteQueue. `api` applies AWS's rule that a name is reusable only 60 s later.
  void delete_queue(const QueueKey& key, bool api, StatusCallback done);
  void set_attributes(const QueuePtr& queue, const StringPairs& attributes, StatusCallback done);
  void tag_queue(const QueuePtr& queue, const StringPairs& tags, StatusCallback done);
  void untag_queue(const QueuePtr& queue, const std::vector<std::string>& keys, StatusCallback done);
  void add_permission(const QueuePtr& queue, const std::string& label, const std::vector<std::string>& accounts,
                      const std::vector<std::string>& actions, StatusCallback done);
  void remove_permission(const QueuePtr& queue, const std::string& label, StatusCallback done);

  // --- lookups ---------------------------------------------------------------
  QueuePtr find(const QueueKey& key) const;
  QueuePtr find(std::string_view region, std::string_view account, std::string_view name) const;
  QueuePtr find_by_arn(std::string_view arn) const;
  std::vector<QueuePtr> all() const;
  size_t size() const;

  Result<QueuePage> list_queues(const std::string& region, const std::string& account, const std::string& prefix,
                                std::optional<int> max_results, const std::string& next_token) const;
  Result<QueuePage> list_dead_letter_sources(const QueuePtr& dlq, std::optional<int> max_results,
                                             const std::string& next_token) const;

  // --- message move tasks (kept in memory) ----------------------------------
  Result<std::string> start_message_move_task(const std::string& source_arn, const std::string& destination_arn,
                                              std::optional<int> max_per_second);
  Result<uint64_t> cancel_message_move_task(const std::string& task_handle);
  Result<std::vector<MoveTaskInfo>> list_message_move_tasks(const std::string& source_arn,
                                                            std::optional<int> max_results) const;

  // Answers every waiting long poll of every queue, empty (at shutdown).
  void release_waiters();

  // QueueTargets: other engines (SNS fan-out) deliver into queues in-process.
  std::optional<QueueTargetInfo> describe_queue(std::string_view arn) const override;
  void deliver(std::string_view arn, std::vector<QueueDelivery> messages,
               std::function<void(std::vector<sluice::Status<Error>>)> done) override;
  std::optional<Staged> stage(std::string_view arn, std::vector<QueueDelivery> messages, const storage::Store& store,
                              storage::WriteBatch& batch) override;

  // QueueHost
  void redrive(const QueuePtr& from, const QueuePtr& dlq, std::vector<TransferredMessage> messages) override;

 private:
  struct MoveTask;
  // A change to one queue's record: edits copies of its attributes and tags, or fails.
  using Change = std::function<Status(QueueAttributes& attributes, StringPairs& tags)>;

  Status validate_name(const std::string& name, bool fifo) const;
  Status check_redrive_locked(const std::string& source_arn, const QueueAttributes& attrs) const;
  QueuePtr find_locked(std::string_view arn) const;
  QueuePtr make_queue(const QueueKey& key, QueueAttributes attrs, const StringPairs& tags);
  // Commits a new queue's record, then makes it visible.
  void insert(const QueuePtr& queue, QueueCallback done, Sequencer::Done next);
  // Applies `change` to the queue's record, commits it, then to the queue.
  void update(const QueuePtr& queue, Change change, StatusCallback done);
  void update_now(const QueuePtr& queue, const Change& change, StatusCallback done, Sequencer::Done next);
  void publish_locked(const QueuePtr& queue);
  void unpublish_locked(const QueuePtr& queue);
  // Dead-letter links: each queue points at its DLQ; sources_ lists, per DLQ ARN,
  // the queues whose RedrivePolicy names it, so a change relinks only what it touches.
  void link_locked(const QueuePtr& queue, const QueueAttributes& attrs);
  void unlink_locked(const QueuePtr& queue, const QueueAttributes& attrs);
  bool is_dead_letter_queue(const std::string& arn) const;
  storage::Store& store_for(const QueueAttributes& attrs) {
    return attrs.durability == storage::Durability::memory ? memory_ : durable_;
  }
  bool deleted_recently_locked(const std::string& arn, TimeMs now) const;
  uint64_t sweep_orphans(const std::set<uint64_t>& live_uids, storage::WriteBatch& batch, bool& ok);
  void transfer(const QueuePtr& from, const QueuePtr& to, std::vector<TransferredMessage> messages,
                bool mark_dead_letter_source);
  void run_move_task(const std::shared_ptr<MoveTask>& task);

  QueueServiceOptions options_;
  storage::Store& durable_;
  storage::Store& memory_;
  Clock& clock_;
  Scheduler& scheduler_;
  Sequencer control_;

  mutable std::shared_mutex mu_;
  std::map<std::string, QueuePtr, std::less<>> queues_;                // by ARN: ordered for listing
  std::map<std::string, std::set<std::string>, std::less<>> sources_;  // DLQ ARN -> source ARNs
  std::unordered_map<std::string, TimeMs> deleted_;                    // ARN -> deletion time (API deletes)
  std::deque<std::pair<TimeMs, std::string>> deleted_order_;

  mutable std::mutex tasks_mu_;
  std::map<std::string, std::vector<std::shared_ptr<MoveTask>>> tasks_;  // source ARN -> newest first
};

}  // namespace sluice::queue
