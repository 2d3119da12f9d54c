#include "runtime/queue/queue_service.h"

#include <algorithm>
#include <cctype>
#include <future>
#include <set>

#include <nlohmann/json.hpp>

#include "runtime/common/arn.h"
#include "runtime/common/base64.h"
#include "runtime/common/codec.h"
#include "runtime/common/random.h"
#include "runtime/common/text.h"

namespace sluice::queue {
namespace {

using json = nlohmann::json;

constexpr TimeMs kMoveTickMs = 100;

Failure<Error> no_queue() { return fail(errc::queue_does_not_exist, "The specified queue does not exist."); }

Failure<Error> invalid_param(std::string_view name, std::string_view value, std::string_view reason) {
  return fail(errc::invalid_parameter_value, "Value " + std::string(value) + " for parameter " +
                                                 std::string(name) + " is invalid. Reason: " +
                                                 std::string(reason));
}

bool valid_name_chars(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && c != '-' && c != '_') return false;
  return true;
}

bool commit_and_wait(storage::Store& store, storage::WriteBatch batch) {
  std::promise<bool> done;
  auto f = done.get_future();
  store.commit(std::move(batch), storage::Durability::sync, [&done](bool ok) { done.set_value(ok); });
  return f.get();
}

// Sorted-pairs page over a sorted container of keys.
Result<QueuePage> page_of(std::vector<QueuePtr> candidates, std::optional<int> max_results,
                          const std::string& next_token) {
  if (max_results && (*max_results < 1 || *max_results > limits::kMaxListResults))
    return invalid_param("MaxResults", std::to_string(*max_results), "MaxResults must be an integer between 1 and 1000.");
  size_t start = 0;
  if (!next_token.empty()) {
    auto decoded = base64_decode(next_token);
    if (!decoded) return invalid_param("NextToken", next_token, "Invalid NextToken value.");
    auto it = std::upper_bound(candidates.begin(), candidates.end(), *decoded,
                               [](const std::string& arn, const QueuePtr& q) { return arn < q->arn(); });
    start = size_t(it - candidates.begin());
  }
  QueuePage page;
  size_t limit = size_t(max_results.value_or(limits::kMaxListResults));
  for (size_t i = start; i < candidates.size() && page.queues.size() < limit; ++i)
    page.queues.push_back(candidates[i]);
  if (max_results && start + page.queues.size() < candidates.size() && !page.queues.empty())
    page.next_token = base64_encode(page.queues.back()->arn());
  return page;
}

}  // namespace

struct QueueService::MoveTask {
  std::string id;
  std::string handle;
  QueuePtr source;
  std::string destination_arn;
  std::optional<int> max_per_second;
  TimeMs started_ms = 0;
  Seq max_seq = 0;
  std::mutex mu;
  std::string status = "RUNNING";
  uint64_t moved = 0;
  uint64_t to_move = 0;
  std::string failure_reason;
};

QueueService::QueueService(QueueServiceOptions options, storage::Store& durable, storage::Store& memory,
                           Clock& clock, Scheduler& scheduler)
    : options_(std::move(options)), durable_(durable), memory_(memory), clock_(clock), scheduler_(scheduler) {}

QueueService::~QueueService() {
  for (auto& q : all()) q->retire();
}

void QueueService::release_waiters() {
  for (auto& q : all()) q->release_waiters();
}

std::string QueueService::queue_key(const std::string& account, const std::string& name) {
  return account + "/" + name;
}

std::string QueueService::record_key(const std::string& account, const std::string& name) {
  return "Q" + account + std::string(1, '\0') + name;
}

Status QueueService::validate_name(const std::string& name, bool fifo) const {
  bool has_suffix = ends_with(name, ".fifo");
  std::string_view base = has_suffix ? std::string_view(name).substr(0, name.size() - 5) : std::string_view(name);
  if (fifo) {
    if (!has_suffix || !valid_name_chars(base) || name.size() > limits::kMaxQueueNameLength)
      return fail(errc::invalid_parameter_value,
                  "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                  "must end with .fifo suffix and be 1 to 80 in length.");
    return {};
  }
  if (has_suffix && valid_name_chars(base))
    return fail(errc::invalid_parameter_value,
                "Queue name ending in .fifo requires the FifoQueue attribute set to true.");
  if (!valid_name_chars(name) || name.size() > limits::kMaxQueueNameLength)
    return fail(errc::invalid_parameter_value,
                "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  return {};
}

QueuePtr QueueService::find(const std::string& account, const std::string& name) const {
  std::shared_lock lock(mu_);
  auto it = queues_.find(queue_key(account, name));
  return it == queues_.end() ? nullptr : it->second;
}

QueuePtr QueueService::find_by_arn_locked(const std::string& arn) const {
  auto it = by_arn_.find(arn);
  return it == by_arn_.end() ? nullptr : it->second;
}

QueuePtr QueueService::find_by_arn(const std::string& arn) const {
  std::shared_lock lock(mu_);
  return find_by_arn_locked(arn);
}

std::vector<QueuePtr> QueueService::all() const {
  std::shared_lock lock(mu_);
  std::vector<QueuePtr> out;
  out.reserve(queues_.size());
  for (const auto& [k, q] : queues_) out.push_back(q);
  return out;
}

Status QueueService::persist(const QueuePtr& queue) {
  storage::WriteBatch batch;
  batch.put(record_key(queue->identity().account, queue->name()), queue->encode_record());
  if (!commit_and_wait(durable_, std::move(batch)))
    return fail(errc::internal_error, "The queue could not be stored.");
  return {};
}

Status QueueService::check_redrive_locked(const std::string& source_arn, const QueueAttributes& attrs) const {
  if (!attrs.redrive_policy) return {};
  const std::string value = "{\"deadLetterTargetArn\":\"" + attrs.redrive_policy->dead_letter_target_arn +
                            "\",\"maxReceiveCount\":" + std::to_string(attrs.redrive_policy->max_receive_count) + "}";
  QueuePtr dlq = find_by_arn_locked(attrs.redrive_policy->dead_letter_target_arn);
  if (!dlq) return invalid_param("RedrivePolicy", value, "Dead letter target does not exist.");
  if (dlq->arn() == source_arn) return invalid_param("RedrivePolicy", value, "A queue cannot be its own dead-letter queue.");
  if (dlq->fifo() != attrs.fifo_queue)
    return invalid_param("RedrivePolicy", value, "Dead-letter queue must be same type of queue as the source.");
  auto allow = dlq->attributes().redrive_allow_policy;
  if (allow && (allow->permission == RedrivePermission::deny_all ||
                (allow->permission == RedrivePermission::by_queue &&
                 std::find(allow->source_queue_arns.begin(), allow->source_queue_arns.end(), source_arn) ==
                     allow->source_queue_arns.end())))
    return invalid_param("RedrivePolicy", value,
                         "Queue " + dlq->arn() + " does not allow " + source_arn + " as a dead-letter source.");
  return {};
}

void QueueService::relink_locked() {
  for (auto& [key, q] : queues_) {
    auto attrs = q->attributes();
    q->set_dead_letter_queue(attrs.redrive_policy ? find_by_arn_locked(attrs.redrive_policy->dead_letter_target_arn)
                                                  : nullptr);
  }
}

Result<QueuePtr> QueueService::create_locked(const std::string& account, const std::string& name,
                                             QueueAttributes attrs, const StringPairs& tags) {
  QueueIdentity id{account, name, options_.region, 0};
  do {
    id.uid = random_u64();
  } while (id.uid == 0);
  storage::Store& store = store_for(attrs);
  auto queue = std::make_shared<Queue>(id, std::move(attrs), clock_.now(), store, clock_, scheduler_, this);
  queue->set_tags(tags);
  if (auto s = persist(queue); !s) return Failure<Error>{s.error()};
  queues_[queue_key(account, name)] = queue;
  by_arn_[queue->arn()] = queue;
  deleted_.erase(queue_key(account, name));
  relink_locked();
  return queue;
}

Result<QueuePtr> QueueService::create_queue(const std::string& account, const std::string& name,
                                            const StringPairs& attributes, const StringPairs& tags) {
  if (name.empty()) return fail(errc::missing_parameter, "The request must contain the parameter QueueName.");
  QueueAttributes attrs;
  attrs.durability = options_.default_durability;
  if (auto s = apply_attributes(attrs, attributes, /*creating=*/true); !s) return Failure<Error>{s.error()};
  if (auto s = validate_name(name, attrs.fifo_queue); !s) return Failure<Error>{s.error()};
  if (tags.size() > limits::kMaxTagsPerQueue)
    return fail(errc::invalid_parameter_value, "Too many tags added for queue " + name + ".");

  std::unique_lock lock(mu_);
  const std::string key = queue_key(account, name);
  if (auto it = queues_.find(key); it != queues_.end()) {
    // Idempotent only if every attribute given matches the existing queue.
    QueueAttributes existing = it->second->attributes();
    for (const auto& [attr_name, value] : attributes) {
      const AttributeDef* def = find_attribute(attr_name);
      QueueAttributes wanted = existing;
      (void)def->set(wanted, value);
      if (def->get(wanted) != def->get(existing))
        return fail(errc::queue_name_exists,
                    "A queue already exists with the same name and a different value for attribute " + attr_name);
    }
    return it->second;
  }
  if (auto it = deleted_.find(key);
      it != deleted_.end() && clock_.now() - it->second < limits::kRecreateAfterDeleteMs)
    return fail(errc::queue_deleted_recently,
                "You must wait 60 seconds after deleting a queue before you can create another with the same name.");
  QueueIdentity probe{account, name, options_.region, 0};
  if (auto s = check_redrive_locked(probe.arn(), attrs); !s) return Failure<Error>{s.error()};
  return create_locked(account, name, std::move(attrs), tags);
}

Result<QueuePtr> QueueService::apply_queue(const std::string& account, const std::string& name,
                                           const QueueAttributes& attrs, const StringPairs& tags) {
  if (auto s = validate_name(name, attrs.fifo_queue); !s) return Failure<Error>{s.error()};
  if (!attrs.fifo_queue && (attrs.content_based_deduplication ||
                            attrs.deduplication_scope != DeduplicationScope::queue ||
                            attrs.fifo_throughput_limit != FifoThroughputLimit::per_queue))
    return fail(errc::invalid_attribute_name,
                "contentBasedDeduplication, deduplicationScope and fifoThroughputLimit apply only to FIFO queues.");
  if (attrs.fifo_throughput_limit == FifoThroughputLimit::per_message_group_id &&
      attrs.deduplication_scope != DeduplicationScope::message_group)
    return fail(errc::invalid_attribute_value, "fifoThroughputLimit perMessageGroupId requires deduplicationScope messageGroup.");
  if (tags.size() > limits::kMaxTagsPerQueue)
    return fail(errc::invalid_parameter_value, "Too many tags added for queue " + name + ".");

  std::unique_lock lock(mu_);
  QueueIdentity probe{account, name, options_.region, 0};
  if (auto s = check_redrive_locked(probe.arn(), attrs); !s) return Failure<Error>{s.error()};
  auto it = queues_.find(queue_key(account, name));
  if (it == queues_.end()) return create_locked(account, name, attrs, tags);
  QueuePtr queue = it->second;
  QueueAttributes current = queue->attributes();
  if (current.fifo_queue != attrs.fifo_queue)
    return fail(errc::invalid_attribute_value, "fifoQueue cannot change after the queue is created.");
  if ((current.durability == storage::Durability::memory) != (attrs.durability == storage::Durability::memory))
    return fail(errc::invalid_attribute_value, "durability cannot change between memory and a durable mode.");
  if (current == attrs && queue->tags() == tags) return queue;
  queue->set_attributes(attrs);
  queue->set_tags(tags);
  if (auto s = persist(queue); !s) return Failure<Error>{s.error()};
  relink_locked();
  return queue;
}

Status QueueService::delete_queue(const std::string& account, const std::string& name, bool api) {
  QueuePtr queue;
  {
    std::unique_lock lock(mu_);
    auto it = queues_.find(queue_key(account, name));
    if (it == queues_.end()) return no_queue();
    queue = it->second;
    queues_.erase(it);
    by_arn_.erase(queue->arn());
    if (api) deleted_[queue_key(account, name)] = clock_.now();
    relink_locked();
  }
  queue->retire();
  const uint64_t uid = queue->identity().uid;
  auto range = [uid](char tag) {
    std::string k(1, tag);
    codec::put_u64_be(k, uid);
    return k;
  };
  storage::WriteBatch data;
  for (char tag : {'M', 'B', 'D'}) data.del_range(range(tag), storage::prefix_end(range(tag)));
  storage::WriteBatch record;
  record.del(record_key(account, name));
  if (&queue->store() != &durable_) {
    queue->store().commit(std::move(data), storage::Durability::memory, nullptr);
  } else {
    record.append(std::move(data));
  }
  if (!commit_and_wait(durable_, std::move(record)))
    return fail(errc::internal_error, "The queue deletion could not be stored.");
  return {};
}

Result<QueuePage> QueueService::list_queues(const std::string& account, const std::string& prefix,
                                            std::optional<int> max_results, const std::string& next_token) const {
  std::vector<QueuePtr> candidates;
  {
    std::shared_lock lock(mu_);
    for (auto it = queues_.lower_bound(account + "/"); it != queues_.end(); ++it) {
      const auto& q = it->second;
      if (q->identity().account != account) break;
      if (q->name().compare(0, prefix.size(), prefix) == 0) candidates.push_back(q);
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](auto& a, auto& b) { return a->arn() < b->arn(); });
  return page_of(std::move(candidates), max_results, next_token);
}

Result<QueuePage> QueueService::list_dead_letter_sources(const QueuePtr& dlq, std::optional<int> max_results,
                                                         const std::string& next_token) const {
  std::vector<QueuePtr> candidates;
  for (const auto& q : all()) {
    auto attrs = q->attributes();
    if (attrs.redrive_policy && attrs.redrive_policy->dead_letter_target_arn == dlq->arn()) candidates.push_back(q);
  }
  std::sort(candidates.begin(), candidates.end(), [](auto& a, auto& b) { return a->arn() < b->arn(); });
  return page_of(std::move(candidates), max_results, next_token);
}

Status QueueService::set_attributes(const QueuePtr& queue, const StringPairs& attributes) {
  QueueAttributes attrs = queue->attributes();
  if (auto s = apply_attributes(attrs, attributes, /*creating=*/false); !s) return s;
  std::unique_lock lock(mu_);
  if (queue->retired()) return no_queue();
  if (auto s = check_redrive_locked(queue->arn(), attrs); !s) return s;
  queue->set_attributes(attrs);
  if (auto s = persist(queue); !s) return s;
  relink_locked();
  return {};
}

Status QueueService::tag_queue(const QueuePtr& queue, const StringPairs& tags) {
  std::unique_lock lock(mu_);
  auto current = queue->tags();
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > limits::kMaxTagKeyLength || v.size() > limits::kMaxTagValueLength)
      return fail(errc::invalid_parameter_value, "Tag keys must be 1 to 128 and values 0 to 256 characters long.");
    auto it = std::find_if(current.begin(), current.end(), [&](auto& p) { return p.first == k; });
    if (it != current.end()) {
      it->second = v;
    } else {
      current.emplace_back(k, v);
    }
  }
  if (current.size() > limits::kMaxTagsPerQueue)
    return fail(errc::invalid_parameter_value, "Too many tags added for queue " + queue->name() + ".");
  queue->set_tags(std::move(current));
  return persist(queue);
}

Status QueueService::untag_queue(const QueuePtr& queue, const std::vector<std::string>& keys) {
  std::unique_lock lock(mu_);
  auto current = queue->tags();
  std::erase_if(current, [&](auto& p) { return std::find(keys.begin(), keys.end(), p.first) != keys.end(); });
  queue->set_tags(std::move(current));
  return persist(queue);
}

Status QueueService::add_permission(const QueuePtr& queue, const std::string& label,
                                    const std::vector<std::string>& accounts, const std::vector<std::string>& actions) {
  static const std::set<std::string> kActions = {"*", "ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes",
                                                 "GetQueueUrl", "ReceiveMessage", "SendMessage"};
  if (label.empty() || label.size() > 80 || !valid_name_chars(label))
    return invalid_param("Label", label, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  if (accounts.empty()) return fail(errc::missing_parameter, "The request must contain the parameter AWSAccountIds.");
  if (actions.empty()) return fail(errc::missing_parameter, "The request must contain the parameter Actions.");
  for (const auto& a : accounts)
    if (!is_account_id(a)) return invalid_param("AWSAccountIds", a, "Must be a 12-digit account id.");
  for (const auto& a : actions)
    if (!kActions.count(a)) return invalid_param("Actions", a, "Unsupported action name.");
  std::unique_lock lock(mu_);
  QueueAttributes attrs = queue->attributes();
  json policy = attrs.policy.empty() ? json{{"Version", "2012-10-17"}, {"Id", queue->arn() + "/SQSDefaultPolicy"},
                                            {"Statement", json::array()}}
                                     : json::parse(attrs.policy, nullptr, false);
  if (!policy.is_object()) policy = json{{"Version", "2012-10-17"}, {"Statement", json::array()}};
  if (!policy["Statement"].is_array()) policy["Statement"] = json::array();
  for (const auto& st : policy["Statement"])
    if (st.is_object() && st.value("Sid", "") == label) return invalid_param("Label", label, "Already exists.");
  json principals = json::array();
  for (const auto& a : accounts) principals.push_back("arn:aws:iam::" + a + ":root");
  json action_list = json::array();
  for (const auto& a : actions) action_list.push_back("SQS:" + a);
  policy["Statement"].push_back({{"Sid", label},
                                 {"Effect", "Allow"},
                                 {"Principal", {{"AWS", principals}}},
                                 {"Action", action_list},
                                 {"Resource", queue->arn()}});
  attrs.policy = policy.dump();
  queue->set_attributes(attrs);
  return persist(queue);
}

Status QueueService::remove_permission(const QueuePtr& queue, const std::string& label) {
  std::unique_lock lock(mu_);
  QueueAttributes attrs = queue->attributes();
  json policy = json::parse(attrs.policy.empty() ? "{}" : attrs.policy, nullptr, false);
  bool found = false;
  if (policy.is_object() && policy.contains("Statement") && policy["Statement"].is_array()) {
    auto& statements = policy["Statement"];
    for (auto it = statements.begin(); it != statements.end(); ++it) {
      if (it->is_object() && it->value("Sid", "") == label) {
        statements.erase(it);
        found = true;
        break;
      }
    }
  }
  if (!found) return invalid_param("Label", label, "can't find label on existing policy.");
  attrs.policy = policy["Statement"].empty() ? "" : policy.dump();
  queue->set_attributes(attrs);
  return persist(queue);
}

// --- moving messages between queues -------------------------------------------------

void QueueService::transfer(const QueuePtr& from, const QueuePtr& to, std::vector<TransferredMessage> messages,
                            bool mark_dead_letter_source) {
  if (messages.empty()) return;
  std::vector<std::string> keys;
  keys.reserve(messages.size());
  for (const auto& m : messages) keys.push_back(Queue::blob_key(from->identity().uid, m.source_seq));
  auto blobs = from->store().multi_get(keys);
  std::vector<TransferredMessage> movable;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (!blobs[i]) continue;
    auto blob = decode_blob(*blobs[i]);
    if (!blob) continue;
    blob->dead_letter_source_arn = mark_dead_letter_source ? from->arn() : std::string();
    messages[i].blob = encode_blob(*blob);
    movable.push_back(std::move(messages[i]));
  }
  storage::WriteBatch batch;
  auto activate = to->import(movable, batch);
  const auto durability = std::max(from->attributes().durability, to->attributes().durability);
  if (&from->store() == &to->store()) {
    from->append_removal(movable, batch);
    to->store().commit(std::move(batch), durability, activate);
    return;
  }
  // Different stores: write the copy first, then remove the original (at-least-once).
  to->store().commit(std::move(batch), durability,
                     [from, movable = std::move(movable), activate, durability](bool ok) {
                       activate(ok);
                       if (!ok) return;
                       storage::WriteBatch removal;
                       from->append_removal(movable, removal);
                       from->store().commit(std::move(removal), durability, nullptr);
                     });
}

void QueueService::redrive(const QueuePtr& from, const QueuePtr& dlq, std::vector<TransferredMessage> messages) {
  transfer(from, dlq, std::move(messages), /*mark_dead_letter_source=*/true);
}

Result<std::string> QueueService::start_message_move_task(const std::string& source_arn,
                                                          const std::string& destination_arn,
                                                          std::optional<int> max_per_second) {
  if (source_arn.empty()) return fail(errc::missing_parameter, "The request must contain the parameter SourceArn.");
  if (max_per_second && (*max_per_second < 1 || *max_per_second > limits::kMaxMoveTaskRate))
    return invalid_param("MaxNumberOfMessagesPerSecond", std::to_string(*max_per_second),
                         "Must be between 1 and 500.");
  QueuePtr source = find_by_arn(source_arn);
  if (!source) return fail(errc::resource_not_found, "The resource that you specified for the SourceArn parameter doesn't exist.");
  bool is_dlq = false;
  for (const auto& q : all()) {
    auto attrs = q->attributes();
    is_dlq |= attrs.redrive_policy && attrs.redrive_policy->dead_letter_target_arn == source_arn;
  }
  if (!is_dlq) return invalid_param("SourceArn", source_arn, "Source queue must be configured as a Dead Letter Queue.");
  if (!destination_arn.empty()) {
    QueuePtr dest = find_by_arn(destination_arn);
    if (!dest)
      return fail(errc::resource_not_found, "The resource that you specified for the DestinationArn parameter doesn't exist.");
    if (dest->fifo() != source->fifo())
      return invalid_param("DestinationArn", destination_arn, "Destination queue must be same type of queue as the source.");
  }
  auto task = std::make_shared<MoveTask>();
  task->id = uuid4();
  task->handle = base64_encode(json{{"taskId", task->id}, {"sourceArn", source_arn}}.dump());
  task->source = source;
  task->destination_arn = destination_arn;
  task->max_per_second = max_per_second;
  task->started_ms = clock_.now();
  task->max_seq = source->last_seq();
  task->to_move = source->counts().visible;
  {
    std::lock_guard lock(tasks_mu_);
    auto& list = tasks_[source_arn];
    for (const auto& t : list) {
      std::lock_guard tl(t->mu);
      if (t->status == "RUNNING" || t->status == "CANCELLING")
        return fail(errc::unsupported_operation,
                    "There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
    }
    list.insert(list.begin(), task);
    if (list.size() > 10) list.pop_back();
  }
  scheduler_.schedule_at(clock_.now(), [this, task] { run_move_task(task); });
  return task->handle;
}

void QueueService::run_move_task(const std::shared_ptr<MoveTask>& task) {
  {
    std::lock_guard lock(task->mu);
    if (task->status == "CANCELLING") {
      task->status = "CANCELLED";
      return;
    }
    if (task->status != "RUNNING") return;
  }
  if (task->source->retired()) {
    std::lock_guard lock(task->mu);
    task->status = "FAILED";
    task->failure_reason = "AWS.SimpleQueueService.NonExistentQueue";
    return;
  }
  const int rate = task->max_per_second.value_or(limits::kMaxMoveTaskRate);
  const size_t per_tick = size_t(std::max<int64_t>(1, int64_t(rate) * kMoveTickMs / 1000));
  auto batch = task->source->extract_for_move(per_tick, task->max_seq);
  if (batch.empty()) {
    std::lock_guard lock(task->mu);
    task->status = "COMPLETED";
    return;
  }
  // Group by destination: the named one, or each message's original source.
  std::map<std::string, std::vector<TransferredMessage>> by_destination;
  if (!task->destination_arn.empty()) {
    by_destination[task->destination_arn] = std::move(batch);
  } else {
    std::vector<std::string> keys;
    for (const auto& m : batch) keys.push_back(Queue::blob_key(task->source->identity().uid, m.source_seq));
    auto blobs = task->source->store().multi_get(keys);
    for (size_t i = 0; i < batch.size(); ++i) {
      auto blob = blobs[i] ? decode_blob(*blobs[i]) : std::nullopt;
      by_destination[blob ? blob->dead_letter_source_arn : std::string()].push_back(std::move(batch[i]));
    }
  }
  uint64_t moved = 0;
  std::string failure;
  for (auto& [arn, messages] : by_destination) {
    QueuePtr dest = arn.empty() ? nullptr : find_by_arn(arn);
    if (!dest) {
      // Nowhere to go: put them back where they were and fail the task, as SQS does.
      transfer(task->source, task->source, std::move(messages), /*mark_dead_letter_source=*/false);
      failure = "AWS.SimpleQueueService.NonExistentQueue";
      continue;
    }
    moved += messages.size();
    transfer(task->source, dest, std::move(messages), /*mark_dead_letter_source=*/false);
  }
  {
    std::lock_guard lock(task->mu);
    task->moved += moved;
    if (!failure.empty()) {
      task->status = "FAILED";
      task->failure_reason = failure;
      return;
    }
  }
  scheduler_.schedule_at(clock_.now() + kMoveTickMs, [this, task] { run_move_task(task); });
}

Result<uint64_t> QueueService::cancel_message_move_task(const std::string& task_handle) {
  auto decoded = base64_decode(task_handle);
  json doc = decoded ? json::parse(*decoded, nullptr, false) : json();
  if (!doc.is_object() || !doc.contains("taskId") || !doc.contains("sourceArn"))
    return fail(errc::resource_not_found, "Task does not exist.");
  std::lock_guard lock(tasks_mu_);
  auto it = tasks_.find(doc["sourceArn"].get<std::string>());
  if (it != tasks_.end()) {
    for (auto& t : it->second) {
      if (t->id != doc["taskId"].get<std::string>()) continue;
      std::lock_guard tl(t->mu);
      if (t->status != "RUNNING")
        return fail(errc::unsupported_operation, "A message movement can only be cancelled when the current status is RUNNING.");
      t->status = "CANCELLING";
      return t->moved;
    }
  }
  return fail(errc::resource_not_found, "Task does not exist.");
}

Result<std::vector<MoveTaskInfo>> QueueService::list_message_move_tasks(const std::string& source_arn,
                                                                        std::optional<int> max_results) const {
  if (source_arn.empty()) return fail(errc::missing_parameter, "The request must contain the parameter SourceArn.");
  if (max_results && (*max_results < 1 || *max_results > 10))
    return invalid_param("MaxResults", std::to_string(*max_results), "Must be between 1 and 10.");
  if (!find_by_arn(source_arn))
    return fail(errc::resource_not_found, "The resource that you specified for the SourceArn parameter doesn't exist.");
  std::vector<MoveTaskInfo> out;
  std::lock_guard lock(tasks_mu_);
  auto it = tasks_.find(source_arn);
  if (it == tasks_.end()) return out;
  for (const auto& t : it->second) {
    if (out.size() >= size_t(max_results.value_or(1))) break;
    std::lock_guard tl(t->mu);
    MoveTaskInfo info;
    if (t->status == "RUNNING") info.task_handle = t->handle;
    info.status = t->status;
    info.source_arn = source_arn;
    info.destination_arn = t->destination_arn;
    info.max_per_second = t->max_per_second;
    info.moved = t->moved;
    info.to_move = t->to_move;
    info.failure_reason = t->failure_reason;
    info.started_ms = t->started_ms;
    out.push_back(std::move(info));
  }
  return out;
}

// --- recovery ---------------------------------------------------------------------

Status QueueService::recover() {
  std::vector<QueuePtr> recovered;
  std::string error;
  durable_.scan("Q", [&](std::string_view key, std::string_view value) {
    auto sep = key.find('\0');
    if (sep == std::string_view::npos || value.empty() || value[0] != 1) {
      error = "unreadable queue record";
      return false;
    }
    std::string account(key.substr(1, sep - 1)), name(key.substr(sep + 1));
    codec::Reader r(value.substr(1));
    QueueIdentity id{account, name, options_.region, 0};
    TimeMs created = 0, modified = 0;
    uint64_t nfields = 0, ntags = 0;
    StringPairs fields, tags;
    bool ok = r.varint(id.uid) && r.signed_varint(created) && r.signed_varint(modified) && r.varint(nfields);
    for (uint64_t i = 0; ok && i < nfields; ++i) {
      std::string k, v;
      ok = r.bytes(k) && r.bytes(v);
      fields.emplace_back(std::move(k), std::move(v));
    }
    ok = ok && r.varint(ntags);
    for (uint64_t i = 0; ok && i < ntags; ++i) {
      std::string k, v;
      ok = r.bytes(k) && r.bytes(v);
      tags.emplace_back(std::move(k), std::move(v));
    }
    QueueAttributes attrs;
    if (!ok || !decode_attributes(attrs, fields)) {
      error = "unreadable queue record for " + name;
      return false;
    }
    storage::Store& store = store_for(attrs);
    auto queue = std::make_shared<Queue>(id, attrs, created, store, clock_, scheduler_, this);
    queue->set_tags(std::move(tags));
    recovered.push_back(queue);
    return true;
  });
  if (!error.empty()) return fail(errc::internal_error, error);
  for (auto& q : recovered) q->recover();
  std::unique_lock lock(mu_);
  for (auto& q : recovered) {
    queues_[queue_key(q->identity().account, q->name())] = q;
    by_arn_[q->arn()] = q;
  }
  relink_locked();
  return {};
}

}  // namespace sluice::queue
