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
#include "runtime/queue/queue_format.h"

namespace sluice::queue {
namespace {

using json = nlohmann::json;

constexpr TimeMs kMoveTickMs = 100;
constexpr size_t kMaxTasksKept = 10;
constexpr std::string_view kArnPrefix = "arn:aws:sqs:";

bool valid_name_chars(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && c != '-' && c != '_') return false;
  return true;
}

// The ARN of a queue, built in a per-thread buffer: find() runs on every request.
std::string_view arn_view(std::string_view region, std::string_view account, std::string_view name) {
  thread_local std::string buffer;
  buffer.clear();
  buffer.append(kArnPrefix).append(region).append(":").append(account).append(":").append(name);
  return buffer;
}

bool commit_and_wait(storage::Store& store, storage::WriteBatch batch) {
  std::promise<bool> done;
  auto f = done.get_future();
  store.commit(std::move(batch), storage::Durability::sync, [&done](bool ok) { done.set_value(ok); });
  return f.get();
}

// A page of `candidates`, which are in ARN order; the token is the last ARN returned.
Result<QueuePage> page_of(const std::vector<QueuePtr>& candidates, std::optional<int> max_results,
                          const std::string& next_token) {
  if (max_results && (*max_results < 1 || *max_results > limits::kMaxListResults))
    return invalid("MaxResults", std::to_string(*max_results), "MaxResults must be an integer between 1 and 1000.");
  size_t start = 0;
  if (!next_token.empty()) {
    auto decoded = base64_decode(next_token);
    if (!decoded) return invalid("NextToken", next_token, "Invalid NextToken value.");
    auto it = std::upper_bound(candidates.begin(), candidates.end(), *decoded,
                               [](const std::string& arn, const QueuePtr& q) { return arn < q->arn(); });
    start = size_t(it - candidates.begin());
  }
  QueuePage page;
  size_t limit = size_t(max_results.value_or(limits::kMaxListResults));
  for (size_t i = start; i < candidates.size() && page.queues.size() < limit; ++i) page.queues.push_back(candidates[i]);
  if (max_results && start + page.queues.size() < candidates.size() && !page.queues.empty())
    page.next_token = base64_encode(page.queues.back()->arn());
  return page;
}

Failure<Error> too_many_tags(const std::string& queue) {
  return fail(errc::limit_exceeded, "Tags", "Too many tags added for queue " + queue + ".");
}

}  // namespace

std::string_view to_string(MoveTaskStatus s) {
  switch (s) {
    case MoveTaskStatus::running:
      return "RUNNING";
    case MoveTaskStatus::completed:
      return "COMPLETED";
    case MoveTaskStatus::cancelling:
      return "CANCELLING";
    case MoveTaskStatus::cancelled:
      return "CANCELLED";
    case MoveTaskStatus::failed:
      return "FAILED";
  }
  return "FAILED";
}

struct QueueService::MoveTask {
  std::string id;
  std::string handle;
  QueuePtr source;
  std::string destination_arn;
  std::optional<int> max_per_second;
  TimeMs started_ms = 0;
  Seq max_seq = 0;
  std::mutex mu;
  MoveTaskStatus status = MoveTaskStatus::running;
  uint64_t moved = 0;
  uint64_t to_move = 0;
  std::string failure_reason;
};

QueueService::QueueService(QueueServiceOptions options, storage::Store& durable, storage::Store& memory, Clock& clock,
                           Scheduler& scheduler)
    : options_(std::move(options)), durable_(durable), memory_(memory), clock_(clock), scheduler_(scheduler) {}

QueueService::~QueueService() {
  for (auto& q : all()) q->retire();
}

void QueueService::release_waiters() {
  for (auto& q : all()) q->release_waiters();
}

Status QueueService::validate_name(const std::string& name, bool fifo) const {
  bool has_suffix = ends_with(name, ".fifo");
  std::string_view base = has_suffix ? std::string_view(name).substr(0, name.size() - 5) : std::string_view(name);
  if (fifo) {
    if (!has_suffix || !valid_name_chars(base) || name.size() > limits::kMaxQueueNameLength)
      return invalid("QueueName", name,
                     "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                     "must end with .fifo suffix and be 1 to 80 in length.");
    return {};
  }
  if (has_suffix && valid_name_chars(base))
    return invalid("QueueName", name, "Queue name ending in .fifo requires the FifoQueue attribute set to true.");
  if (!valid_name_chars(name) || name.size() > limits::kMaxQueueNameLength)
    return invalid("QueueName", name,
                   "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  return {};
}

// --- lookups ---------------------------------------------------------------------

QueuePtr QueueService::find_locked(std::string_view arn) const {
  auto it = queues_.find(arn);
  return it == queues_.end() ? nullptr : it->second;
}

QueuePtr QueueService::find(std::string_view region, std::string_view account, std::string_view name) const {
  std::string_view arn = arn_view(region, account, name);
  std::shared_lock lock(mu_);
  return find_locked(arn);
}

QueuePtr QueueService::find(const QueueKey& key) const { return find(key.region, key.account, key.name); }

QueuePtr QueueService::find_by_arn(std::string_view arn) const {
  std::shared_lock lock(mu_);
  return find_locked(arn);
}

std::vector<QueuePtr> QueueService::all() const {
  std::shared_lock lock(mu_);
  std::vector<QueuePtr> out;
  out.reserve(queues_.size());
  for (const auto& [arn, q] : queues_) out.push_back(q);
  return out;
}

size_t QueueService::size() const {
  std::shared_lock lock(mu_);
  return queues_.size();
}

bool QueueService::is_dead_letter_queue(const std::string& arn) const {
  std::shared_lock lock(mu_);
  auto it = sources_.find(arn);
  return it != sources_.end() && !it->second.empty();
}

Result<QueuePage> QueueService::list_queues(const std::string& region, const std::string& account,
                                            const std::string& prefix, std::optional<int> max_results,
                                            const std::string& next_token) const {
  const std::string from = std::string(kArnPrefix) + region + ":" + account + ":" + prefix;
  std::vector<QueuePtr> candidates;
  {
    std::shared_lock lock(mu_);
    for (auto it = queues_.lower_bound(from); it != queues_.end() && it->first.compare(0, from.size(), from) == 0; ++it)
      candidates.push_back(it->second);
  }
  return page_of(candidates, max_results, next_token);
}

Result<QueuePage> QueueService::list_dead_letter_sources(const QueuePtr& dlq, std::optional<int> max_results,
                                                         const std::string& next_token) const {
  std::vector<QueuePtr> candidates;
  {
    std::shared_lock lock(mu_);
    if (auto it = sources_.find(dlq->arn()); it != sources_.end())
      for (const auto& arn : it->second)
        if (auto q = find_locked(arn)) candidates.push_back(std::move(q));
  }
  return page_of(candidates, max_results, next_token);
}

// --- dead-letter links -----------------------------------------------------------------

void QueueService::link_locked(const QueuePtr& queue, const QueueAttributes& attrs) {
  if (!attrs.redrive_policy) {
    queue->set_dead_letter_queue({});
    return;
  }
  const auto& target = attrs.redrive_policy->dead_letter_target_arn;
  sources_[target].insert(queue->arn());
  queue->set_dead_letter_queue(find_locked(target));
}

void QueueService::unlink_locked(const QueuePtr& queue, const QueueAttributes& attrs) {
  if (!attrs.redrive_policy) return;
  auto it = sources_.find(attrs.redrive_policy->dead_letter_target_arn);
  if (it == sources_.end()) return;
  it->second.erase(queue->arn());
  if (it->second.empty()) sources_.erase(it);
}

void QueueService::publish_locked(const QueuePtr& queue) {
  queues_[queue->arn()] = queue;
  deleted_.erase(queue->arn());
  link_locked(queue, queue->attributes());
  // Sources created before this queue (recovery, manifests) point at it now.
  if (auto it = sources_.find(queue->arn()); it != sources_.end())
    for (const auto& arn : it->second)
      if (auto source = find_locked(arn)) source->set_dead_letter_queue(queue);
}

void QueueService::unpublish_locked(const QueuePtr& queue) {
  queues_.erase(queue->arn());
  unlink_locked(queue, queue->attributes());
  if (auto it = sources_.find(queue->arn()); it != sources_.end())
    for (const auto& arn : it->second)
      if (auto source = find_locked(arn)) source->set_dead_letter_queue({});
}

Status QueueService::check_redrive_locked(const std::string& source_arn, const QueueAttributes& attrs) const {
  if (!attrs.redrive_policy) return {};
  const std::string value = "{\"deadLetterTargetArn\":\"" + attrs.redrive_policy->dead_letter_target_arn +
                            "\",\"maxReceiveCount\":" + std::to_string(attrs.redrive_policy->max_receive_count) + "}";
  QueuePtr dlq = find_locked(attrs.redrive_policy->dead_letter_target_arn);
  if (!dlq) return invalid("RedrivePolicy", value, "Dead letter target does not exist.");
  if (dlq->arn() == source_arn) return invalid("RedrivePolicy", value, "A queue cannot be its own dead-letter queue.");
  if (dlq->fifo() != attrs.fifo_queue)
    return invalid("RedrivePolicy", value, "Dead-letter queue must be same type of queue as the source.");
  auto allow = dlq->attributes().redrive_allow_policy;
  if (allow && (allow->permission == RedrivePermission::deny_all ||
                (allow->permission == RedrivePermission::by_queue &&
                 std::find(allow->source_queue_arns.begin(), allow->source_queue_arns.end(), source_arn) ==
                     allow->source_queue_arns.end())))
    return invalid("RedrivePolicy", value,
                   "Queue " + dlq->arn() + " does not allow " + source_arn + " as a dead-letter source.");
  return {};
}

bool QueueService::deleted_recently_locked(const std::string& arn, TimeMs now) const {
  auto it = deleted_.find(arn);
  return it != deleted_.end() && now - it->second < limits::kRecreateAfterDeleteMs;
}

// --- control plane -----------------------------------------------------------------

QueuePtr QueueService::make_queue(const QueueKey& key, QueueAttributes attrs, const StringPairs& tags) {
  QueueIdentity id{key.account, key.name, key.region, 0};
  do {
    id.uid = random_u64();
  } while (id.uid == 0);
  storage::Store& store = store_for(attrs);
  auto queue = std::make_shared<Queue>(id, std::move(attrs), clock_.now(), store, clock_, scheduler_, this);
  queue->set_tags(tags);
  return queue;
}

void QueueService::insert(const QueuePtr& queue, QueueCallback done, Sequencer::Done next) {
  storage::WriteBatch batch;
  const auto& id = queue->identity();
  batch.put(format::queue_key(id.region, id.account, id.name), format::encode_queue_record(queue->record()));
  durable_.commit(std::move(batch), storage::Durability::sync,
                  [this, queue, done = std::move(done), next = std::move(next)](bool ok) {
                    if (ok) {
                      std::unique_lock lock(mu_);
                      publish_locked(queue);
                    }
                    if (ok) {
                      done(queue);
                    } else {
                      done(storage_failed("The queue"));
                    }
                    next();
                  });
}

void QueueService::create_queue(const QueueKey& key, const StringPairs& attributes, const StringPairs& tags,
                                QueueCallback done) {
  if (key.name.empty()) return done(missing("QueueName"));
  QueueAttributes attrs;
  attrs.durability = options_.default_durability;
  if (auto s = apply_attributes(attrs, attributes, /*creating=*/true); !s) return done(Failure<Error>{s.error()});
  if (auto s = validate_name(key.name, attrs.fifo_queue); !s) return done(Failure<Error>{s.error()});
  if (tags.size() > limits::kMaxTagsPerQueue) return done(too_many_tags(key.name));
  control_.submit(
      [this, key, attributes, tags, attrs = std::move(attrs), done = std::move(done)](Sequencer::Done next) mutable {
        const std::string arn = key.arn();
        QueuePtr existing;
        {
          std::shared_lock lock(mu_);
          existing = find_locked(arn);
          if (!existing && deleted_recently_locked(arn, clock_.now())) {
            lock.unlock();
            done(fail(errc::state_conflict, "QueueName",
                      "You must wait 60 seconds after deleting a queue before you can create another with the same "
                      "name."));
            return next();
          }
          if (!existing) {
            if (auto s = check_redrive_locked(arn, attrs); !s) {
              lock.unlock();
              done(Failure<Error>{s.error()});
              return next();
            }
          }
        }
        if (existing) {
          // Idempotent only if every attribute given matches the existing queue.
          const QueueAttributes current = existing->attributes();
          for (const auto& [name, value] : attributes) {
            const AttributeDef* def = find_attribute(name);
            QueueAttributes wanted = current;
            if (def && def->set(wanted, value) && def->get(wanted) == def->get(current)) continue;
            done(fail(errc::already_exists, "QueueName",
                      "A queue already exists with the same name and a different value for attribute " + name));
            return next();
          }
          done(existing);
          return next();
        }
        insert(make_queue(key, std::move(attrs), tags), std::move(done), std::move(next));
      });
}

Status QueueService::check_apply(const QueueKey& key, const QueueAttributes& attrs) const {
  if (auto s = validate_name(key.name, attrs.fifo_queue); !s) return s;
  if (!attrs.fifo_queue &&
      (attrs.content_based_deduplication || attrs.deduplication_scope != DeduplicationScope::queue ||
       attrs.fifo_throughput_limit != FifoThroughputLimit::per_queue))
    return fail(errc::not_found, "Attributes.ContentBasedDeduplication",
                "contentBasedDeduplication, deduplicationScope and fifoThroughputLimit apply only to FIFO queues.");
  if (auto s = check_rules(attrs); !s) return s;
  std::shared_lock lock(mu_);
  if (QueuePtr existing = find_locked(key.arn())) {
    const QueueAttributes current = existing->attributes();
    if (current.fifo_queue != attrs.fifo_queue)
      return fail(errc::invalid_argument, "Attributes.FifoQueue",
                  "fifoQueue cannot change after the queue is created.");
    if ((current.durability == storage::Durability::memory) != (attrs.durability == storage::Durability::memory))
      return fail(errc::invalid_argument, "Attributes.durability",
                  "durability cannot change between memory and a durable mode.");
  }
  return check_redrive_locked(key.arn(), attrs);
}

void QueueService::apply_queue(const QueueKey& key, const QueueAttributes& attributes, const StringPairs& tags,
                               QueueCallback done) {
  if (tags.size() > limits::kMaxTagsPerQueue) return done(too_many_tags(key.name));
  control_.submit([this, key, attributes, tags, done = std::move(done)](Sequencer::Done next) mutable {
    if (auto s = check_apply(key, attributes); !s) {
      done(Failure<Error>{s.error()});
      return next();
    }
    QueuePtr queue = find(key);
    if (!queue) return insert(make_queue(key, attributes, tags), std::move(done), std::move(next));
    update_now(
        queue,
        [&attributes, &tags](QueueAttributes& attrs, StringPairs& current_tags) -> Status {
          attrs = attributes;
          current_tags = tags;
          return {};
        },
        [queue, done = std::move(done)](Status s) {
          if (s) {
            done(queue);
          } else {
            done(Failure<Error>{s.error()});
          }
        },
        std::move(next));
  });
}

void QueueService::delete_queue(const QueueKey& key, bool api, StatusCallback done) {
  control_.submit([this, key, api, done = std::move(done)](Sequencer::Done next) mutable {
    QueuePtr queue = find(key);
    if (!queue) {
      done(no_such_queue());
      return next();
    }
    const uint64_t uid = queue->identity().uid;
    storage::WriteBatch data;
    for (auto tag : {storage::Tag::message_meta, storage::Tag::message_blob, storage::Tag::dedup}) {
      std::string prefix = format::uid_prefix(tag, uid);
      data.del_range(prefix, storage::prefix_end(prefix));
    }
    storage::WriteBatch record;
    record.del(format::queue_key(key.region, key.account, key.name));
    if (&queue->store() != &durable_) {
      queue->store().commit(std::move(data), storage::Durability::memory, nullptr);
    } else {
      record.append(std::move(data));
    }
    // Records of sends that commit after this batch (they passed the queue's
    // check before it retired) are swept at the next recovery (sweep_orphans).
    durable_.commit(
        std::move(record), storage::Durability::sync,
        [this, queue, api, done = std::move(done), next = std::move(next)](bool ok) {
          if (ok) {
            std::unique_lock lock(mu_);
            unpublish_locked(queue);
            if (api) {
              const TimeMs now = clock_.now();
              deleted_[queue->arn()] = now;
              deleted_order_.emplace_back(now, queue->arn());
              while (!deleted_order_.empty() && now - deleted_order_.front().first >= limits::kRecreateAfterDeleteMs) {
                auto it = deleted_.find(deleted_order_.front().second);
                if (it != deleted_.end() && it->second == deleted_order_.front().first) deleted_.erase(it);
                deleted_order_.pop_front();
              }
            }
          }
          if (ok) queue->retire();
          if (ok) {
            done({});
          } else {
            done(storage_failed("The queue deletion"));
          }
          next();
        });
  });
}

void QueueService::update(const QueuePtr& queue, Change change, StatusCallback done) {
  control_.submit([this, queue, change = std::move(change), done = std::move(done)](Sequencer::Done next) mutable {
    update_now(queue, change, std::move(done), std::move(next));
  });
}

void QueueService::update_now(const QueuePtr& queue, const Change& change, StatusCallback done, Sequencer::Done next) {
  if (queue->retired()) {
    done(no_such_queue());
    return next();
  }
  const QueueAttributes before = queue->attributes();
  QueueAttributes attrs = before;
  StringPairs tags = queue->tags();
  const StringPairs tags_before = tags;
  Status s = change(attrs, tags);
  if (s && attrs.redrive_policy != before.redrive_policy) {
    std::shared_lock lock(mu_);
    s = check_redrive_locked(queue->arn(), attrs);
  }
  if (!s) {
    done(s);
    return next();
  }
  if (attrs == before && tags == tags_before) {
    done({});
    return next();
  }
  format::QueueRecord record = queue->record();
  record.fields = encode_attributes(attrs);
  record.tags = tags;
  record.modified_ms = clock_.now();
  storage::WriteBatch batch;
  const auto& id = queue->identity();
  batch.put(format::queue_key(id.region, id.account, id.name), format::encode_queue_record(record));
  durable_.commit(std::move(batch), storage::Durability::sync,
                  [this, queue, before, attrs = std::move(attrs), tags = std::move(tags), done = std::move(done),
                   next = std::move(next)](bool ok) mutable {
                    if (ok) {
                      queue->set_attributes(attrs);
                      queue->set_tags(std::move(tags));
                      if (attrs.redrive_policy != before.redrive_policy) {
                        std::unique_lock lock(mu_);
                        unlink_locked(queue, before);
                        link_locked(queue, attrs);
                      }
                    }
                    if (ok) {
                      done({});
                    } else {
                      done(storage_failed("The queue"));
                    }
                    next();
                  });
}

void QueueService::set_attributes(const QueuePtr& queue, const StringPairs& attributes, StatusCallback done) {
  update(
      queue,
      [attributes](QueueAttributes& attrs, StringPairs&) {
        return apply_attributes(attrs, attributes, /*creating=*/false);
      },
      std::move(done));
}

void QueueService::tag_queue(const QueuePtr& queue, const StringPairs& tags, StatusCallback done) {
  update(
      queue,
      [tags, name = queue->name()](QueueAttributes&, StringPairs& current) -> Status {
        for (const auto& [k, v] : tags) {
          if (k.empty() || k.size() > limits::kMaxTagKeyLength || v.size() > limits::kMaxTagValueLength)
            return invalid("Tags", k, "Tag keys must be 1 to 128 and values 0 to 256 characters long.");
          auto it = std::find_if(current.begin(), current.end(), [&](auto& p) { return p.first == k; });
          if (it != current.end()) {
            it->second = v;
          } else {
            current.emplace_back(k, v);
          }
        }
        if (current.size() > limits::kMaxTagsPerQueue) return too_many_tags(name);
        return {};
      },
      std::move(done));
}

void QueueService::untag_queue(const QueuePtr& queue, const std::vector<std::string>& keys, StatusCallback done) {
  update(
      queue,
      [keys](QueueAttributes&, StringPairs& current) -> Status {
        std::erase_if(current, [&](auto& p) { return std::find(keys.begin(), keys.end(), p.first) != keys.end(); });
        return {};
      },
      std::move(done));
}

void QueueService::add_permission(const QueuePtr& queue, const std::string& label,
                                  const std::vector<std::string>& accounts, const std::vector<std::string>& actions,
                                  StatusCallback done) {
  static const std::set<std::string> kActions = {
      "*",           "ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes",
      "GetQueueUrl", "ReceiveMessage",          "SendMessage"};
  if (label.empty() || label.size() > 80 || !valid_name_chars(label))
    return done(invalid("Label", label,
                        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"));
  if (accounts.empty()) return done(missing("AWSAccountIds"));
  if (actions.empty()) return done(missing("Actions"));
  for (const auto& a : accounts)
    if (!is_account_id(a)) return done(invalid("AWSAccountIds", a, "Must be a 12-digit account id."));
  for (const auto& a : actions)
    if (!kActions.count(a)) return done(invalid("Actions", a, "Unsupported action name."));
  update(
      queue,
      [label, accounts, actions, arn = queue->arn()](QueueAttributes& attrs, StringPairs&) -> Status {
        json policy =
            attrs.policy.empty()
                ? json{{"Version", "2012-10-17"}, {"Id", arn + "/SQSDefaultPolicy"}, {"Statement", json::array()}}
                : json::parse(attrs.policy, nullptr, false);
        if (!policy.is_object()) policy = json{{"Version", "2012-10-17"}, {"Statement", json::array()}};
        if (!policy["Statement"].is_array()) policy["Statement"] = json::array();
        for (const auto& st : policy["Statement"])
          if (st.is_object() && st.value("Sid", "") == label)
            return fail(errc::already_exists, "Label",
                        "Value " + label + " for parameter Label is invalid. Reason: Already exists.");
        json principals = json::array();
        for (const auto& a : accounts) principals.push_back("arn:aws:iam::" + a + ":root");
        json action_list = json::array();
        for (const auto& a : actions) action_list.push_back("SQS:" + a);
        policy["Statement"].push_back({{"Sid", label},
                                       {"Effect", "Allow"},
                                       {"Principal", {{"AWS", principals}}},
                                       {"Action", action_list},
                                       {"Resource", arn}});
        attrs.policy = policy.dump();
        return {};
      },
      std::move(done));
}

void QueueService::remove_permission(const QueuePtr& queue, const std::string& label, StatusCallback done) {
  update(
      queue,
      [label](QueueAttributes& attrs, StringPairs&) -> Status {
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
        if (!found)
          return Failure<Error>{Error{errc::not_found, "Label", "can't find label on existing policy.", label}};
        attrs.policy = policy["Statement"].empty() ? "" : policy.dump();
        return {};
      },
      std::move(done));
}

// --- moving messages between queues -------------------------------------------------

void QueueService::transfer(const QueuePtr& from, const QueuePtr& to, std::vector<TransferredMessage> messages,
                            bool mark_dead_letter_source) {
  if (messages.empty()) return;
  std::vector<std::string> keys;
  keys.reserve(messages.size());
  for (const auto& m : messages) keys.push_back(format::blob_key(from->identity().uid, m.source_seq));
  auto blobs = from->store().multi_get(keys);
  std::vector<TransferredMessage> movable, unreadable;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (blobs[i].failed()) {
      unreadable.push_back(std::move(messages[i]));
      continue;
    }
    if (!blobs[i].found()) continue;  // deleted meanwhile
    auto blob = decode_blob(blobs[i].value);
    if (!blob) continue;
    blob->dead_letter_source_arn = mark_dead_letter_source ? from->arn() : std::string();
    messages[i].blob = encode_blob(*blob);
    movable.push_back(std::move(messages[i]));
  }
  // A message whose body cannot be read stays where it was: its records are
  // untouched, and it is visible again in its queue.
  if (!unreadable.empty()) from->restore(std::move(unreadable));
  if (movable.empty()) return;
  storage::WriteBatch batch;
  auto activate = to->import(movable, batch);
  const auto durability = std::max(from->attributes().durability, to->attributes().durability);
  if (&from->store() == &to->store()) {
    from->append_removal(movable, batch);
    to->store().commit(std::move(batch), durability, activate);
    return;
  }
  // Different stores: write the copy first, then remove the original (at-least-once).
  to->store().commit(std::move(batch), durability, [from, movable = std::move(movable), activate, durability](bool ok) {
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
  if (source_arn.empty()) return missing("SourceArn");
  if (max_per_second && (*max_per_second < 1 || *max_per_second > limits::kMaxMoveTaskRate))
    return invalid("MaxNumberOfMessagesPerSecond", std::to_string(*max_per_second),
                   "Must be between 1 and " + std::to_string(limits::kMaxMoveTaskRate) + ".");
  QueuePtr source = find_by_arn(source_arn);
  if (!source)
    return fail(errc::not_found, "SourceArn",
                "The resource that you specified for the SourceArn parameter doesn't exist.");
  if (!is_dead_letter_queue(source_arn))
    return invalid("SourceArn", source_arn, "Source queue must be configured as a Dead Letter Queue.");
  if (!destination_arn.empty()) {
    QueuePtr dest = find_by_arn(destination_arn);
    if (!dest)
      return fail(errc::not_found, "DestinationArn",
                  "The resource that you specified for the DestinationArn parameter doesn't exist.");
    if (dest->fifo() != source->fifo())
      return invalid("DestinationArn", destination_arn, "Destination queue must be same type of queue as the source.");
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
      if (t->status == MoveTaskStatus::running || t->status == MoveTaskStatus::cancelling)
        return fail(errc::state_conflict, "SourceArn",
                    "There is already a task running. Only one active task is allowed for a source queue arn at a "
                    "given time.");
    }
    list.insert(list.begin(), task);
    if (list.size() > kMaxTasksKept) list.pop_back();
  }
  scheduler_.schedule_at(clock_.now(), [this, task] { run_move_task(task); });
  return task->handle;
}

void QueueService::run_move_task(const std::shared_ptr<MoveTask>& task) {
  {
    std::lock_guard lock(task->mu);
    if (task->status == MoveTaskStatus::cancelling) {
      task->status = MoveTaskStatus::cancelled;
      return;
    }
    if (task->status != MoveTaskStatus::running) return;
  }
  if (task->source->retired()) {
    std::lock_guard lock(task->mu);
    task->status = MoveTaskStatus::failed;
    task->failure_reason = "AWS.SimpleQueueService.NonExistentQueue";
    return;
  }
  const int rate = task->max_per_second.value_or(limits::kMaxMoveTaskRate);
  const size_t per_tick = size_t(std::max<int64_t>(1, int64_t(rate) * kMoveTickMs / 1000));
  auto batch = task->source->extract_for_move(per_tick, task->max_seq);
  if (batch.empty()) {
    std::lock_guard lock(task->mu);
    task->status = MoveTaskStatus::completed;
    return;
  }
  // Group by destination: the named one, or each message's original source.
  std::map<std::string, std::vector<TransferredMessage>> by_destination;
  if (!task->destination_arn.empty()) {
    by_destination[task->destination_arn] = std::move(batch);
  } else {
    std::vector<std::string> keys;
    for (const auto& m : batch) keys.push_back(format::blob_key(task->source->identity().uid, m.source_seq));
    auto blobs = task->source->store().multi_get(keys);
    for (size_t i = 0; i < batch.size(); ++i) {
      auto blob = blobs[i].found() ? decode_blob(blobs[i].value) : std::nullopt;
      by_destination[blob ? blob->dead_letter_source_arn : std::string()].push_back(std::move(batch[i]));
    }
  }
  uint64_t moved = 0;
  std::string failure;
  for (auto& [arn, messages] : by_destination) {
    QueuePtr dest = arn.empty() ? nullptr : find_by_arn(arn);
    if (!dest) {
      // Nowhere to go: put them back where they were and fail the task, as SQS does.
      task->source->restore(std::move(messages));
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
      task->status = MoveTaskStatus::failed;
      task->failure_reason = failure;
      return;
    }
  }
  scheduler_.schedule_at(clock_.now() + kMoveTickMs, [this, task] { run_move_task(task); });
}

Result<uint64_t> QueueService::cancel_message_move_task(const std::string& task_handle) {
  auto decoded = base64_decode(task_handle);
  json doc = decoded ? json::parse(*decoded, nullptr, false) : json();
  if (!doc.is_object() || !doc.contains("taskId") || !doc.contains("sourceArn") || !doc["taskId"].is_string() ||
      !doc["sourceArn"].is_string())
    return fail(errc::not_found, "TaskHandle", "Task does not exist.");
  std::lock_guard lock(tasks_mu_);
  auto it = tasks_.find(doc["sourceArn"].get<std::string>());
  if (it != tasks_.end()) {
    for (auto& t : it->second) {
      if (t->id != doc["taskId"].get<std::string>()) continue;
      std::lock_guard tl(t->mu);
      if (t->status != MoveTaskStatus::running)
        return fail(errc::state_conflict, "TaskHandle",
                    "A message movement can only be cancelled when the current status is RUNNING.");
      t->status = MoveTaskStatus::cancelling;
      return t->moved;
    }
  }
  return fail(errc::not_found, "TaskHandle", "Task does not exist.");
}

Result<std::vector<MoveTaskInfo>> QueueService::list_message_move_tasks(const std::string& source_arn,
                                                                        std::optional<int> max_results) const {
  if (source_arn.empty()) return missing("SourceArn");
  if (max_results && (*max_results < 1 || *max_results > int(kMaxTasksKept)))
    return invalid("MaxResults", std::to_string(*max_results), "Must be between 1 and 10.");
  if (!find_by_arn(source_arn))
    return fail(errc::not_found, "SourceArn",
                "The resource that you specified for the SourceArn parameter doesn't exist.");
  std::vector<MoveTaskInfo> out;
  std::lock_guard lock(tasks_mu_);
  auto it = tasks_.find(source_arn);
  if (it == tasks_.end()) return out;
  for (const auto& t : it->second) {
    if (out.size() >= size_t(max_results.value_or(1))) break;
    std::lock_guard tl(t->mu);
    MoveTaskInfo info;
    if (t->status == MoveTaskStatus::running) info.task_handle = t->handle;
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

// Removes the M, B and D records of queues that no longer exist: a crash between
// a queue's deletion and its range deletion, or a send that committed after it.
// One seek per queue id, whatever the number of records.
uint64_t QueueService::sweep_orphans(const std::set<uint64_t>& live_uids, storage::WriteBatch& batch, bool& ok) {
  uint64_t swept = 0;
  for (auto tag : {storage::Tag::message_meta, storage::Tag::message_blob, storage::Tag::dedup}) {
    const std::string space = storage::key_of(tag), end = storage::prefix_end(space);
    std::string from = space;
    for (;;) {
      auto next = durable_.first_key(from, end);
      if (next.failed()) {
        ok = false;
        return swept;
      }
      if (!next.found()) break;
      const uint64_t uid = format::uid_of(next.value);
      const std::string prefix = format::uid_prefix(tag, uid);
      if (!live_uids.count(uid)) {
        batch.del_range(prefix, storage::prefix_end(prefix));
        ++swept;
      }
      from = storage::prefix_end(prefix);
      if (from.empty() || from >= end) break;
    }
  }
  return swept;
}

Result<QueueService::Recovered> QueueService::recover() {
  std::vector<QueuePtr> recovered;
  storage::WriteBatch migrations;
  std::string error;
  const bool scanned =
      durable_.scan(storage::key_of(storage::Tag::queue), [&](std::string_view key, std::string_view value) {
        auto parts = format::parse_queue_key(key);
        auto record = format::decode_queue_record(value);
        QueueAttributes attrs;
        if (!parts || !record || !decode_attributes(attrs, record->fields)) {
          // The queue's settings are unknowable: serving it with defaults would be
          // wrong, so the start stops and says which record.
          error = "unreadable queue record " + base64_encode(std::string(key));
          return false;
        }
        if (parts->region.empty()) {  // written before regions: it belongs to the default region
          parts->region = options_.region;
          migrations.del(std::string(key));
          migrations.put(format::queue_key(parts->region, parts->account, parts->name), std::string(value));
        }
        QueueIdentity id{parts->account, parts->name, parts->region, record->uid};
        auto queue = std::make_shared<Queue>(id, attrs, record->created_ms, store_for(attrs), clock_, scheduler_, this);
        queue->set_tags(std::move(record->tags));
        recovered.push_back(std::move(queue));
        return true;
      });
  if (!scanned) return fail(errc::storage_failure, "", "The queue records could not be read.");
  if (!error.empty()) return fail(errc::storage_failure, "", error);

  Recovered out;
  std::set<uint64_t> live;
  for (auto& q : recovered) {
    auto r = q->recover();
    if (!r.ok) return fail(errc::storage_failure, "", "The messages of queue " + q->arn() + " could not be read.");
    out.messages += r.messages;
    out.skipped_records += r.skipped;
    live.insert(q->identity().uid);
  }
  bool ok = true;
  out.orphan_ranges = sweep_orphans(live, migrations, ok);
  if (!ok) return fail(errc::storage_failure, "", "The store could not be read.");
  if (!migrations.empty() && !commit_and_wait(durable_, std::move(migrations)))
    return fail(errc::storage_failure, "", "The recovered queue records could not be rewritten.");
  std::unique_lock lock(mu_);
  for (auto& q : recovered) publish_locked(q);
  out.queues = queues_.size();
  return out;
}

std::optional<QueueTargetInfo> QueueService::describe_queue(std::string_view arn) const {
  auto q = find_by_arn(arn);
  if (!q) return std::nullopt;
  return QueueTargetInfo{q->fifo()};
}

namespace {

// A delivery from another engine as the queue takes it.
std::vector<SendEntry> send_entries(std::vector<QueueDelivery>& messages) {
  std::vector<SendEntry> entries;
  entries.reserve(messages.size());
  for (auto& m : messages) {
    SendEntry e;
    e.body = std::move(m.body);
    e.body_md5 = m.body_md5;
    for (auto& [name, a] : m.attributes) e.attributes[name] = MessageAttributeValue{a.data_type, std::move(a.value)};
    if (!m.group_id.empty()) e.group_id = std::move(m.group_id);
    e.deduplication_id = std::move(m.deduplication_id);
    if (!m.trace_header.empty()) e.system_attributes["AWSTraceHeader"] = {"String", std::move(m.trace_header)};
    e.sender_id = "AIDAIT2UOQQY3AUEKVGXU";  // what SQS reports as SenderId for SNS deliveries
    entries.push_back(std::move(e));
  }
  return entries;
}

std::vector<sluice::Status<Error>> statuses_of(const std::vector<Result<SendOutcome>>& results) {
  std::vector<sluice::Status<Error>> out;
  out.reserve(results.size());
  for (const auto& r : results)
    out.push_back(r.ok() ? sluice::Status<Error>() : sluice::Status<Error>(Failure{r.error()}));
  return out;
}

}  // namespace

void QueueService::deliver(std::string_view arn, std::vector<QueueDelivery> messages,
                           std::function<void(std::vector<sluice::Status<Error>>)> done) {
  auto q = find_by_arn(arn);
  if (!q) return done(std::vector<sluice::Status<Error>>(messages.size(), no_such_queue("Endpoint")));
  q->send(send_entries(messages),
          [done = std::move(done)](std::vector<Result<SendOutcome>> results) { done(statuses_of(results)); });
}

std::optional<QueueTargets::Staged> QueueService::stage(std::string_view arn, std::vector<QueueDelivery> messages,
                                                        const storage::Store& store, storage::WriteBatch& batch) {
  auto q = find_by_arn(arn);
  if (!q || &q->store() != &store) return std::nullopt;
  auto staged = std::make_shared<Queue::StagedSend>(q->stage_send(send_entries(messages), batch));
  // The statuses a successful commit gives; a failed one turns them into storage failures.
  Staged out{statuses_of(staged->results), staged->durability, nullptr};
  out.committed = [q, staged](bool ok) { q->complete_send(*staged, ok); };
  return out;
}

}  // namespace sluice::queue
