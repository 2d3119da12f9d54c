#include "runtime/topic/topic.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "runtime/common/digest.h"
#include "runtime/common/random.h"

namespace sluice::topic {
namespace {

using nlohmann::json;

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(uint8_t(s[i])) != std::tolower(uint8_t(prefix[i]))) return false;
  return true;
}

Status<Error> check_attribute(const std::string& name, const MessageAttribute& a) {
  const std::string field = "MessageAttributes." + name;
  auto refuse = [&](std::string why) { return Status<Error>(invalid(field, name, std::move(why))); };
  const bool chars = std::all_of(name.begin(), name.end(),
                                 [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; });
  if (name.empty() || name.size() > limits::kMaxAttributeNameLength || !chars || name.front() == '.' ||
      name.back() == '.' || name.find("..") != std::string::npos || starts_with_ci(name, "AWS.") ||
      starts_with_ci(name, "Amazon."))
    return refuse("The message attribute name '" + name + "' is invalid.");
  std::string_view type = a.data_type;
  std::string_view base = type.substr(0, type.find('.'));
  if (type.rfind("String.Array", 0) == 0) base = "String.Array";
  if (base != "String" && base != "Number" && base != "Binary" && base != "String.Array")
    return refuse("The message attribute '" + name +
                  "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, "
                  "and String.");
  if (a.value.empty())
    return refuse("The message attribute '" + name +
                  "' must contain non-empty message attribute value for message "
                  "attribute type '" +
                  std::string(base) + "'.");
  if (base == "Number") {
    char* end = nullptr;
    errno = 0;
    std::strtod(a.value.c_str(), &end);
    if (end != a.value.c_str() + a.value.size() || errno == ERANGE || !(std::isdigit(uint8_t(a.value.back()))))
      return refuse("The message attribute '" + name + "' with type 'Number' must contain a valid numeric value.");
  }
  if (base == "String.Array") {
    auto j = json::parse(a.value, nullptr, false);
    bool ok = !j.is_discarded() && j.is_array();
    if (ok)
      for (const auto& e : j) ok = ok && (e.is_string() || e.is_number() || e.is_boolean() || e.is_null());
    if (!ok)
      return refuse("The message attribute '" + name +
                    "' with type 'String.Array' must contain a JSON array of strings, numbers, booleans or nulls.");
  }
  return {};
}

Status<Error> check_subject(const std::string& subject) {
  const bool printable =
      std::all_of(subject.begin(), subject.end(), [](unsigned char c) { return c >= 32 && c < 127; });
  if (subject.empty() || subject.size() > limits::kMaxSubjectLength || !printable || subject.front() == ' ')
    return invalid("Subject", subject,
                   "Subject must be ASCII text that begins with a letter, number, or punctuation mark; must not "
                   "include line breaks or control characters; and must be less than 100 characters long.");
  return {};
}

bool valid_id(std::string_view id, size_t max) {
  return !id.empty() && id.size() <= max &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) { return c >= 33 && c <= 126; });
}

std::optional<DeliveryPolicy> parsed_delivery_policy(const Attributes& attributes) {
  auto it = attributes.find("DeliveryPolicy");
  if (it == attributes.end()) return std::nullopt;
  auto p = parse_topic_delivery_policy(it->second, "DeliveryPolicy");
  return p ? std::optional<DeliveryPolicy>(*p) : std::nullopt;
}

}  // namespace

Topic::Topic(TopicKey key, format::TopicRecord record, storage::Store& store, storage::Durability durability,
             Clock& clock, size_t memory_bytes)
    : key_(std::move(key)),
      arn_(key_.arn()),
      uid_(record.uid),
      fifo_(attribute_true(record.attributes, "FifoTopic")),
      store_(store),
      durability_(durability),
      clock_(clock),
      record_(std::move(record)),
      delivery_policy_(parsed_delivery_policy(record_.attributes)),
      memory_bytes_(memory_bytes) {}

// Memory holds the newest messages up to the budget; a subscription behind them
// reads the store (next()), so a long outage costs disk, not memory.
void Topic::hold_locked(PublishedPtr message) {
  log_bytes_ += message->bytes();
  const Seq seq = message->seq;
  log_.emplace(seq, std::move(message));
  while (log_bytes_ > memory_bytes_ && log_.size() > 1) drop_oldest_locked();
}

void Topic::drop_oldest_locked() {
  log_bytes_ -= log_.begin()->second->bytes();
  log_.erase(log_.begin());
}

format::TopicRecord Topic::record() const {
  std::lock_guard lock(mu_);
  return record_;
}

void Topic::set_record(format::TopicRecord record) {
  std::vector<SubscriptionPtr> subs;
  {
    std::lock_guard lock(mu_);
    record_ = std::move(record);
    delivery_policy_ = parsed_delivery_policy(record_.attributes);
    subs = subscriptions_;
  }
  for (auto& s : subs) s->wake();  // a new delivery policy may change what they may send now
}

Attributes Topic::attributes() const {
  std::lock_guard lock(mu_);
  return record_.attributes;
}

StringPairs Topic::tags() const {
  std::lock_guard lock(mu_);
  return record_.tags;
}

int Topic::signature_version() const {
  std::lock_guard lock(mu_);
  return attribute_or(record_.attributes, "SignatureVersion", "1") == "2" ? 2 : 1;
}

std::optional<DeliveryPolicy> Topic::delivery_policy() const {
  std::lock_guard lock(mu_);
  return delivery_policy_;
}

int Topic::archive_days() const {
  std::lock_guard lock(mu_);
  auto it = record_.attributes.find("ArchivePolicy");
  if (!fifo_ || it == record_.attributes.end()) return 0;
  auto j = json::parse(it->second, nullptr, false);
  if (j.is_discarded() || !j.contains("MessageRetentionPeriod")) return 0;
  const auto& v = j["MessageRetentionPeriod"];
  try {
    return v.is_number_integer() ? v.get<int>() : v.is_string() ? std::stoi(v.get<std::string>()) : 0;
  } catch (...) {
    return 0;
  }
}

Result<PublishEntry, Error> Topic::check(PublishEntry e) const {
  if (e.message.empty()) return invalid("Message", "", "Empty message");
  if (e.subject)
    if (auto s = check_subject(*e.subject); !s) return Failure<Error>{s.error()};
  for (const auto& [name, a] : e.attributes)
    if (auto s = check_attribute(name, a); !s) return Failure<Error>{s.error()};
  if (entry_bytes(e) > limits::kMaxMessageBytes) return fail(errc::too_large, "Message", "Message too long");
  if (fifo_) {
    if (e.group_id.empty())
      return fail(errc::missing_argument, "MessageGroupId", "The MessageGroupId parameter is required for FIFO topics");
    if (!valid_id(e.group_id, limits::kMaxGroupIdLength))
      return invalid("MessageGroupId", e.group_id, "MessageGroupId must be 1 to 128 printable ASCII characters");
    if (e.deduplication_id.empty()) {
      bool content_based;
      {
        std::lock_guard lock(mu_);
        content_based = attribute_true(record_.attributes, "ContentBasedDeduplication");
      }
      if (!content_based)
        return fail(errc::invalid_argument, "MessageDeduplicationId",
                    "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                    "provided explicitly");
      e.deduplication_id = to_hex(sha256(e.message));
    } else if (!valid_id(e.deduplication_id, limits::kMaxDeduplicationIdLength)) {
      return invalid("MessageDeduplicationId", e.deduplication_id,
                     "MessageDeduplicationId must be 1 to 128 printable ASCII characters");
    }
  } else {
    if (!e.deduplication_id.empty())
      return invalid("MessageDeduplicationId", e.deduplication_id,
                     "The request includes MessageDeduplicationId parameter that is not valid for this topic type");
    if (!e.group_id.empty() && !valid_id(e.group_id, limits::kMaxGroupIdLength))
      return invalid("MessageGroupId", e.group_id, "MessageGroupId must be 1 to 128 printable ASCII characters");
  }
  return e;
}

void Topic::expire_dedup_locked(TimeMs now) {
  while (!dedup_order_.empty() && dedup_order_.front().first <= now) {
    auto it = dedup_.find(dedup_order_.front().second);
    if (it != dedup_.end() && it->second.expires_ms <= now) dedup_.erase(it);
    dedup_order_.pop_front();
  }
}

void Topic::publish(std::vector<PublishEntry> entries, PublishCallback done) {
  const size_t n = entries.size();
  std::vector<Result<PublishOutcome, Error>> results(n, fail(errc::storage_failure, "", "not published"));
  std::vector<std::shared_ptr<Published>> fresh;  // the entries this publish stores
  std::vector<size_t> fresh_index;
  const TimeMs now = clock_.now();
  for (size_t i = 0; i < n; ++i) {
    auto checked = check(std::move(entries[i]));
    if (!checked) {
      results[i] = Failure<Error>{checked.error()};
      continue;
    }
    auto m = std::make_shared<Published>();
    m->entry = std::move(*checked);
    m->message_id = uuid4();
    m->timestamp_ms = now;
    fresh.push_back(std::move(m));
    fresh_index.push_back(i);
  }

  // Signatures for the envelopes the caught-up subscriptions will take are made
  // now, outside the order lock, where publishes to one topic queue up.
  std::vector<PublishedPtr> staged_view(fresh.begin(), fresh.end());
  for (auto& s : subscriptions()) s->presign(staged_view);

  std::unique_lock order(order_mu_);
  storage::WriteBatch batch;
  std::vector<std::string> dedup_keys;  // entries added by this publish, undone if the commit fails
  std::vector<PublishedPtr> published;  // what this publish stores, in sequence order
  std::vector<SubscriptionPtr> subs;
  {
    std::lock_guard lock(mu_);
    if (retired_) {
      order.unlock();
      for (auto& r : results)
        if (!r.ok() && r.error().code == errc::storage_failure)
          r = fail(errc::not_found, "TopicArn", "Topic does not exist");
      return done(std::move(results));
    }
    if (fifo_) expire_dedup_locked(now);
    const bool per_group = fifo_ && attribute_or(record_.attributes, "FifoThroughputScope", "Topic") == "MessageGroup";
    for (size_t k = 0; k < fresh.size(); ++k) {
      auto& m = fresh[k];
      if (fifo_) {
        std::string key = per_group ? m->entry.group_id + '\0' + m->entry.deduplication_id : m->entry.deduplication_id;
        if (auto it = dedup_.find(key); it != dedup_.end()) {
          results[fresh_index[k]] = it->second.outcome;  // a duplicate: the first one's answer, nothing stored
          probe_.deduplicated++;
          m = nullptr;
          continue;
        }
        m->seq = next_seq_++;
        dedup_[key] = Dedup{now + limits::kDeduplicationIntervalMs, {m->message_id, sequence_number(m->seq)}};
        dedup_order_.emplace_back(now + limits::kDeduplicationIntervalMs, key);
        dedup_keys.push_back(std::move(key));
      } else {
        m->seq = next_seq_++;
      }
      published.push_back(m);
    }
    subs = subscriptions_;
  }
  if (published.empty()) {
    order.unlock();
    return done(std::move(results));
  }
  // Write-through: each caught-up SQS subscription stages its queue copies into
  // this commit. The log keeps the message for everyone else, for FIFO's
  // deduplication and archive, and for a refused copy's retries; when nobody
  // needs it there, a standard topic does not write it at all (it stays in
  // memory until the sweep, for a subscription confirmed meanwhile).
  storage::Durability durability = durability_;
  std::vector<std::function<void(bool)>> inline_done;
  bool keep_log = fifo_;
  for (const auto& s : subs) {
    auto taken = s->take_inline(published, batch, durability);
    if (taken.take == Subscription::Inline::Take::taken) inline_done.push_back(std::move(taken.committed));
    keep_log |= taken.take == Subscription::Inline::Take::from_log || taken.keep_log;
  }
  if (keep_log)
    for (const auto& m : published) batch.put(format::message_key(uid_, m->seq), format::encode_message(*m));

  auto self = shared_from_this();
  auto shared_results = std::make_shared<std::vector<Result<PublishOutcome, Error>>>(std::move(results));
  auto on_commit = [self, fresh = std::move(fresh), fresh_index = std::move(fresh_index),
                    dedup_keys = std::move(dedup_keys), shared_results, inline_done = std::move(inline_done),
                    done = std::move(done)](bool ok) mutable {
    std::vector<SubscriptionPtr> to_wake;
    uint64_t bytes = 0, count = 0;
    {
      std::lock_guard lock(self->mu_);
      for (size_t k = 0; k < fresh.size(); ++k) {
        if (!fresh[k]) continue;
        auto& r = (*shared_results)[fresh_index[k]];
        if (!ok) continue;  // stays a storage failure
        r = PublishOutcome{fresh[k]->message_id, self->fifo_ ? sequence_number(fresh[k]->seq) : ""};
        bytes += fresh[k]->bytes();
        count++;
        self->end_ = fresh[k]->seq + 1;
        self->hold_locked(std::move(fresh[k]));
      }
      if (!ok)
        for (const auto& key : dedup_keys) self->dedup_.erase(key);
      if (!ok && !fresh.empty()) self->end_ = std::max(self->end_, self->next_seq_);
      to_wake = self->subscriptions_;
    }
    self->probe_.published += count;
    self->probe_.publish_bytes += bytes;
    // The queues' copies become receivable before Publish answers: a client that
    // publishes and then receives finds its message.
    for (auto& committed : inline_done) committed(ok);
    done(std::move(*shared_results));
    for (auto& s : to_wake) s->wake();
  };
  if (batch.empty()) {  // no subscriber needed a write
    order.unlock();
    return on_commit(true);
  }
  store_.commit(std::move(batch), durability, std::move(on_commit));
}

PublishedPtr Topic::next(Seq from) const {
  Seq memory_low;
  {
    std::lock_guard lock(mu_);
    if (from >= end_) return nullptr;
    memory_low = log_.empty() ? end_ : log_.begin()->first;
    if (from >= memory_low) {
      auto it = log_.lower_bound(from);
      return it == log_.end() ? nullptr : it->second;
    }
  }
  // Below what memory holds (an archive replay rewound the cursor): read the store.
  if (auto m = stored_at_or_after(from); m && m->seq < memory_low) return m;
  std::lock_guard lock(mu_);
  return log_.empty() ? nullptr : log_.begin()->second;
}

PublishedPtr Topic::stored_at_or_after(Seq from) const {
  const std::string prefix = format::message_prefix(uid_);
  auto key = store_.first_key(format::message_key(uid_, from), storage::prefix_end(prefix));
  if (!key.found()) return nullptr;
  auto value = store_.get(key.value);
  auto m = std::make_shared<Published>();
  if (!value.found() || !format::decode_message(value.value, *m)) return nullptr;
  return m;
}

Seq Topic::end() const {
  std::lock_guard lock(mu_);
  return end_;
}

TimeMs Topic::oldest_held_ms() const {
  std::lock_guard lock(mu_);
  return log_.empty() ? 0 : log_.begin()->second->timestamp_ms;
}

void Topic::add(const SubscriptionPtr& s) {
  std::lock_guard lock(mu_);
  subscriptions_.push_back(s);
}

SubscriptionPtr Topic::remove(const std::string& arn) {
  std::lock_guard lock(mu_);
  auto it = std::find_if(subscriptions_.begin(), subscriptions_.end(), [&](const auto& s) { return s->arn() == arn; });
  if (it == subscriptions_.end()) return nullptr;
  SubscriptionPtr s = *it;
  subscriptions_.erase(it);
  return s;
}

std::vector<SubscriptionPtr> Topic::subscriptions() const {
  std::lock_guard lock(mu_);
  return subscriptions_;
}

size_t Topic::subscription_count() const {
  std::lock_guard lock(mu_);
  return subscriptions_.size();
}

void Topic::sweep(storage::WriteBatch& batch) {
  std::vector<SubscriptionPtr> subs = subscriptions();
  Seq upto, swept;
  {
    std::lock_guard lock(mu_);
    upto = end_;
    swept = swept_;
  }
  for (const auto& s : subs)
    if (s->confirmed()) upto = std::min(upto, s->cursor());
  Seq store_upto = upto;
  if (fifo_) {
    // The store keeps what the dedup window (recovery rebuilds deduplication from
    // it) and the archive still need: everything published after keep_after.
    const TimeMs keep_after =
        clock_.now() - std::max<int64_t>(limits::kDeduplicationIntervalMs, int64_t(archive_days()) * 86'400'000);
    store_upto = swept;
    store_.scan(format::message_prefix(uid_), [&](std::string_view key, std::string_view value) {
      Published m;
      const Seq seq = format::seq_of_message_key(key);
      if (seq >= upto || (format::decode_message(value, m) && m.timestamp_ms > keep_after)) return false;
      store_upto = seq + 1;
      return true;
    });
  }
  std::lock_guard lock(mu_);
  while (!log_.empty() && log_.begin()->first < upto) drop_oldest_locked();
  if (store_upto > swept_) {
    batch.del_range(format::message_key(uid_, swept_), format::message_key(uid_, store_upto));
    swept_ = store_upto;
  }
}

bool Topic::recover(Seq from, Seq next_seq, uint64_t& skipped) {
  const TimeMs now = clock_.now();
  Seq first_stored = 0;
  bool ok = store_.scan(format::message_prefix(uid_), [&](std::string_view key, std::string_view value) {
    auto m = std::make_shared<Published>();
    if (!format::decode_message(value, *m) || m->seq != format::seq_of_message_key(key)) {
      skipped++;
      return true;
    }
    next_seq = std::max(next_seq, m->seq + 1);
    if (!first_stored) first_stored = m->seq;
    if (fifo_ && m->timestamp_ms + limits::kDeduplicationIntervalMs > now) {
      const bool per_group = attribute_or(record_.attributes, "FifoThroughputScope", "Topic") == "MessageGroup";
      std::string k = per_group ? m->entry.group_id + '\0' + m->entry.deduplication_id : m->entry.deduplication_id;
      dedup_[k] = Dedup{m->timestamp_ms + limits::kDeduplicationIntervalMs, {m->message_id, sequence_number(m->seq)}};
      dedup_order_.emplace_back(m->timestamp_ms + limits::kDeduplicationIntervalMs, k);
    }
    if (m->seq >= from) hold_locked(std::move(m));
    return true;
  });
  std::lock_guard order(order_mu_);
  std::lock_guard lock(mu_);
  next_seq_ = end_ = next_seq;
  swept_ = first_stored ? first_stored : next_seq;
  return ok;
}

PublishedPtr Topic::first_archived_after(TimeMs from_ms) const {
  PublishedPtr out;
  store_.scan(format::message_prefix(uid_), [&](std::string_view, std::string_view value) {
    auto m = std::make_shared<Published>();
    if (!format::decode_message(value, *m) || m->timestamp_ms < from_ms) return true;
    out = std::move(m);
    return false;
  });
  return out;
}

void Topic::retire() {
  std::vector<SubscriptionPtr> subs;
  {
    std::lock_guard lock(mu_);
    retired_ = true;
    subs.swap(subscriptions_);
    log_.clear();
    log_bytes_ = 0;
  }
  for (auto& s : subs) s->retire();
}

bool Topic::retired() const {
  std::lock_guard lock(mu_);
  return retired_;
}

}  // namespace sluice::topic
