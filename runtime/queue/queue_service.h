#pragma once
// QueueService: every queue of every account, and the operations that span
// queues: create/delete/list, attributes that refer to other queues (dead-letter
// targets and allow-lists), permissions, tags, message move tasks, and recovery
// of all of it from the store at start-up.
//
// Control-plane calls (create, delete, attributes, tags, permissions) write the
// queue record synchronously and return once it is durable; message traffic goes
// straight to the Queue objects.

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/scheduler.h"
#include "runtime/queue/attributes.h"
#include "runtime/queue/errors.h"
#include "runtime/queue/queue.h"
#include "runtime/storage/store.h"

namespace sluice::queue {

using StringPairs = std::vector<std::pair<std::string, std::string>>;

struct QueueServiceOptions {
  std::string region = "us-east-1";
  // Durability of queues created through the AWS API (manifests choose their own).
  storage::Durability default_durability = storage::Durability::sync;
};

struct QueuePage {
  std::vector<QueuePtr> queues;
  std::string next_token;  // empty on the last page
};

struct MoveTaskInfo {
  std::string task_handle;  // only while RUNNING
  std::string status;       // RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED
  std::string source_arn;
  std::string destination_arn;  // empty: each message returns to the queue it came from
  std::optional<int> max_per_second;
  uint64_t moved = 0;
  uint64_t to_move = 0;
  std::string failure_reason;
  TimeMs started_ms = 0;
};

class QueueService final : public QueueHost {
 public:
  QueueService(QueueServiceOptions options, storage::Store& durable, storage::Store& memory, Clock& clock,
               Scheduler& scheduler);
  ~QueueService() override;

  // Loads every queue and its messages from the durable store.
  Status recover();

  const QueueServiceOptions& options() const { return options_; }

  // CreateQueue: idempotent when the given attributes match the existing queue.
  Result<QueuePtr> create_queue(const std::string& account, const std::string& name,
                                const StringPairs& attributes, const StringPairs& tags);
  // Create-or-update from a typed spec (manifests, admin API). `tags` replace the queue's tags.
  Result<QueuePtr> apply_queue(const std::string& account, const std::string& name,
                               const QueueAttributes& attributes, const StringPairs& tags);
  // DeleteQueue. `api` applies AWS's rule that a name is reusable only 60 s later.
  Status delete_queue(const std::string& account, const std::string& name, bool api = true);

  // Answers every waiting long poll of every queue, empty (at shutdown).
  void release_waiters();

  QueuePtr find(const std::string& account, const std::string& name) const;
  QueuePtr find_by_arn(const std::string& arn) const;
  std::vector<QueuePtr> all() const;

  Result<QueuePage> list_queues(const std::string& account, const std::string& prefix,
                                std::optional<int> max_results, const std::string& next_token) const;
  Result<QueuePage> list_dead_letter_sources(const QueuePtr& dlq, std::optional<int> max_results,
                                             const std::string& next_token) const;

  Status set_attributes(const QueuePtr& queue, const StringPairs& attributes);
  Status tag_queue(const QueuePtr& queue, const StringPairs& tags);
  Status untag_queue(const QueuePtr& queue, const std::vector<std::string>& keys);
  Status add_permission(const QueuePtr& queue, const std::string& label, const std::vector<std::string>& accounts,
                        const std::vector<std::string>& actions);
  Status remove_permission(const QueuePtr& queue, const std::string& label);

  Result<std::string> start_message_move_task(const std::string& source_arn, const std::string& destination_arn,
                                              std::optional<int> max_per_second);
  Result<uint64_t> cancel_message_move_task(const std::string& task_handle);
  Result<std::vector<MoveTaskInfo>> list_message_move_tasks(const std::string& source_arn,
                                                            std::optional<int> max_results) const;

  // QueueHost
  void redrive(const QueuePtr& from, const QueuePtr& dlq, std::vector<TransferredMessage> messages) override;

 private:
  struct MoveTask;

  static std::string queue_key(const std::string& account, const std::string& name);
  static std::string record_key(const std::string& account, const std::string& name);
  Status validate_name(const std::string& name, bool fifo) const;
  Status check_redrive_locked(const std::string& source_arn, const QueueAttributes& attrs) const;
  Result<QueuePtr> create_locked(const std::string& account, const std::string& name, QueueAttributes attrs,
                                 const StringPairs& tags);
  void relink_locked();
  QueuePtr find_by_arn_locked(const std::string& arn) const;
  storage::Store& store_for(const QueueAttributes& attrs) { return attrs.durability == storage::Durability::memory ? memory_ : durable_; }
  Status persist(const QueuePtr& queue);
  void transfer(const QueuePtr& from, const QueuePtr& to, std::vector<TransferredMessage> messages,
                bool mark_dead_letter_source);
  void run_move_task(const std::shared_ptr<MoveTask>& task);

  QueueServiceOptions options_;
  storage::Store& durable_;
  storage::Store& memory_;
  Clock& clock_;
  Scheduler& scheduler_;

  mutable std::shared_mutex mu_;
  std::map<std::string, QueuePtr> queues_;             // account/name -> queue
  std::unordered_map<std::string, QueuePtr> by_arn_;
  std::unordered_map<std::string, TimeMs> deleted_;    // account/name -> deletion time

  mutable std::mutex tasks_mu_;
  std::map<std::string, std::vector<std::shared_ptr<MoveTask>>> tasks_;  // source ARN -> newest first
};

}  // namespace sluice::queue
