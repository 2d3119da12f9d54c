#include "runtime/queue/queue.h"

#include <algorithm>

#include "runtime/common/base64.h"
#include "runtime/common/codec.h"
#include "runtime/common/random.h"
#include "runtime/common/text.h"

namespace sluice::queue {
namespace {

constexpr uint8_t kHandleVersion = 1;
constexpr size_t kHandleBytes = 25;  // version, uid, seq, nonce, check
constexpr TimeMs kMaxVisibilityMs = TimeMs(limits::kMaxVisibilitySeconds) * 1000;

std::string format_sequence(Seq seq) { return pad_decimal(seq, 20); }

// Message group and deduplication ids: 1-128 characters, alphanumeric or punctuation.
bool valid_fifo_token(std::string_view s) {
  if (s.empty() || s.size() > limits::kMaxDeduplicationIdLength) return false;
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

Failure<Error> invalid_handle(const std::string& handle) {
  return fail(errc::invalid_argument, "ReceiptHandle",
              "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
}

Failure<Error> expired_handle(const std::string& handle) {
  return Failure<Error>{Error{errc::expired, "ReceiptHandle", "The receipt handle has expired.", handle}};
}

// The results of an operation on a queue deleted meanwhile: every entry fails.
template <class R>
std::vector<R> all_missing(size_t n) {
  std::vector<R> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.emplace_back(no_such_queue());
  return out;
}

// After a failed commit, every entry that had succeeded did not happen after all.
template <class R>
void mark_unstored(std::vector<R>& results, const char* what) {
  for (auto& r : results)
    if (r.ok()) r = storage_failed(what);
}

struct PreparedSend {
  std::string blob;
  SendOutcome outcome;
  std::string group_id;
  std::string dedup_key;  // FIFO only
  TimeMs delay_ms = 0;
  uint32_t size = 0;
};

}  // namespace

std::string QueueIdentity::arn() const { return "arn:aws:sqs:" + region + ":" + account + ":" + name; }

Queue::Queue(QueueIdentity identity, QueueAttributes attributes, TimeMs created_ms, storage::Store& store, Clock& clock,
             Scheduler& scheduler, QueueHost* host)
    : identity_(std::move(identity)),
      arn_(identity_.arn()),
      fifo_(attributes.fifo_queue),
      created_ms_(created_ms),
      store_(store),
      clock_(clock),
      scheduler_(scheduler),
      host_(host),
      attrs_(std::move(attributes)),
      modified_ms_(created_ms) {}

Queue::~Queue() {
  if (wake_timer_) scheduler_.cancel(wake_timer_);
}

// --- receipt handles ----------------------------------------------------------

std::string Queue::receipt_handle(Seq seq, uint32_t nonce) const {
  std::string raw;
  raw.reserve(kHandleBytes);
  raw.push_back(char(kHandleVersion));
  codec::put_u64_be(raw, identity_.uid);
  codec::put_u64_be(raw, seq);
  for (int i = 3; i >= 0; --i) raw.push_back(char(uint8_t(nonce >> (8 * i))));
  auto check = sha256(raw);
  raw.append(reinterpret_cast<const char*>(check.data()), 4);
  return base64_encode(raw, /*url_safe=*/true);
}

bool Queue::parse_receipt_handle(std::string_view handle, Seq& seq, uint32_t& nonce) const {
  auto raw = base64_decode(handle);
  if (!raw || raw->size() != kHandleBytes || uint8_t((*raw)[0]) != kHandleVersion) return false;
  auto check = sha256(std::string_view(*raw).substr(0, kHandleBytes - 4));
  for (size_t i = 0; i < 4; ++i)
    if (check[i] != uint8_t((*raw)[kHandleBytes - 4 + i])) return false;
  if (codec::get_u64_be(std::string_view(*raw).substr(1)) != identity_.uid) return false;
  seq = codec::get_u64_be(std::string_view(*raw).substr(9));
  nonce = 0;
  for (int i = 0; i < 4; ++i) nonce = (nonce << 8) | uint8_t((*raw)[17 + i]);
  return true;
}

// --- bookkeeping ----------------------------------------------------------------

Seq Queue::next_seq_locked(TimeMs now) {
  last_seq_ = std::max(last_seq_ + 1, Seq(now) << 20);
  return last_seq_;
}

Seq Queue::last_seq() const {
  std::lock_guard lock(mu_);
  return last_seq_;
}

Queue::Group* Queue::group_locked(const std::string& id) {
  auto [it, inserted] = groups_.try_emplace(id);
  if (inserted) it->second.id = id;
  return &it->second;
}

void Queue::release_group_locked(Group* g) {
  if (g->messages == 0 && !g->in_ring) {
    std::string id = g->id;
    groups_.erase(id);
  }
}

void Queue::make_eligible_locked(Group* g) {
  if (!g->in_ring && !g->ready.empty() && (!fifo_ || g->inflight == 0)) {
    ring_.push_back(g);
    g->in_ring = true;
  }
}

void Queue::make_ready_locked(Seq seq, Message& m) {
  m.state = State::ready;
  ++visible_;
  m.group->ready.push(seq);
  make_eligible_locked(m.group);
}

bool Queue::pop_ready_locked(Group* g, Seq& seq) {
  while (!g->ready.empty()) {
    Seq s = g->ready.top();
    g->ready.pop();
    auto it = messages_.find(s);
    if (it != messages_.end() && it->second.state == State::ready && it->second.group == g) {
      seq = s;
      return true;
    }
  }
  return false;
}

void Queue::put_meta_locked(Seq seq, const Message& m, storage::WriteBatch& batch) const {
  format::MessageMeta meta{m.id,    m.sent_ms, m.available_ms, m.first_receive_ms, m.received_ms, m.receive_count,
                           m.nonce, m.size,    m.group->id};
  batch.put(format::meta_key(identity_.uid, seq), format::encode_message_meta(meta));
}

void Queue::erase_locked(Seq seq, storage::WriteBatch& batch) {
  auto it = messages_.find(seq);
  if (it == messages_.end()) return;
  Message& m = it->second;
  Group* g = m.group;
  switch (m.state) {
    case State::pending:
      break;
    case State::delayed:
      --delayed_;
      break;
    case State::ready:
      --visible_;
      break;
    case State::inflight:
      --inflight_;
      --g->inflight;
      break;
  }
  --g->messages;
  messages_.erase(it);
  batch.del(format::meta_key(identity_.uid, seq));
  batch.del(format::blob_key(identity_.uid, seq));
  make_eligible_locked(g);
  release_group_locked(g);
}

void Queue::advance_locked(TimeMs now) {
  while (!availability_.empty() && availability_.top().due <= now) {
    TimerEntry e = availability_.top();
    availability_.pop();
    auto it = messages_.find(e.seq);
    if (it == messages_.end() || it->second.timer_gen != e.gen) continue;
    Message& m = it->second;
    if (m.state == State::delayed) {
      --delayed_;
      make_ready_locked(e.seq, m);
    } else if (m.state == State::inflight) {
      --inflight_;
      --m.group->inflight;
      make_ready_locked(e.seq, m);
    }
  }
  const TimeMs retention_ms = TimeMs(attrs_.message_retention_period) * 1000;
  while (!expiry_.empty() && expiry_.top().expires <= now) {
    ExpiryEntry e = expiry_.top();
    expiry_.pop();
    auto it = messages_.find(e.seq);
    if (it == messages_.end()) continue;
    TimeMs expires = it->second.sent_ms + retention_ms;
    if (expires > now || it->second.state == State::pending) {
      expiry_.push({std::max(expires, now + 1000), e.seq});
      continue;
    }
    erase_locked(e.seq, housekeeping_);
    probe_.messages_expired.fetch_add(1, std::memory_order_relaxed);
  }
  while (!dedup_order_.empty() && dedup_order_.front().first <= now) {
    auto it = dedup_.find(dedup_order_.front().second);
    if (it != dedup_.end() && it->second.expires_ms <= now) {
      housekeeping_.del(format::dedup_key(identity_.uid, it->first));
      dedup_.erase(it);
    }
    dedup_order_.pop_front();
  }
  while (!attempt_order_.empty() && attempt_order_.front().first <= now) {
    auto it = attempts_.find(attempt_order_.front().second);
    if (it != attempts_.end() && it->second.expires_ms <= now) attempts_.erase(it);
    attempt_order_.pop_front();
  }
}

// --- send -----------------------------------------------------------------------

void Queue::send(std::vector<SendEntry> entries, SendCallback done) {
  storage::WriteBatch batch;
  auto staged = std::make_shared<StagedSend>(stage_send(std::move(entries), batch));
  if (batch.empty()) return done(std::move(staged->results));
  auto self = shared_from_this();
  const storage::Durability durability = staged->durability;
  store_.commit(std::move(batch), durability, [self, staged, done = std::move(done)](bool ok) mutable {
    self->complete_send(*staged, ok);
    done(std::move(staged->results));
  });
}

Queue::StagedSend Queue::stage_send(std::vector<SendEntry> entries, storage::WriteBatch& batch) {
  StagedSend staged;
  const TimeMs now = clock_.now();
  QueueAttributes attrs;
  {
    std::lock_guard lock(mu_);
    if (retired_) return {all_missing<Result<SendOutcome>>(entries.size())};
    attrs = attrs_;
  }

  // Validation, digests and encoding need no lock.
  std::vector<Result<PreparedSend>> prepared;
  prepared.reserve(entries.size());
  for (auto& e : entries) {
    auto prep = [&]() -> Result<PreparedSend> {
      if (e.body.empty()) return missing("MessageBody");
      if (!is_valid_message_text(e.body))
        return fail(errc::invalid_argument, "MessageBody",
                    "Invalid binary character was found in the message body, the set of allowed "
                    "characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to "
                    "#x10FFFF");
      auto attr_bytes = validate_user_attributes(e.attributes);
      if (!attr_bytes) return Failure<Error>{attr_bytes.error()};
      if (auto s = validate_system_attributes(e.system_attributes); !s) return Failure<Error>{s.error()};
      size_t size = e.body.size() + *attr_bytes;
      if (size > size_t(attrs.maximum_message_size))
        return fail(errc::too_large, "MessageBody",
                    "One or more parameters are invalid. Reason: Message must be shorter than " +
                        std::to_string(attrs.maximum_message_size) + " bytes.");
      PreparedSend p;
      if (e.delay_seconds) {
        if (*e.delay_seconds < 0 || *e.delay_seconds > limits::kMaxDelaySeconds)
          return invalid("DelaySeconds", std::to_string(*e.delay_seconds),
                         "DelaySeconds must be >= 0 and <= " + std::to_string(limits::kMaxDelaySeconds) + ".");
        // FIFO queues delay per queue only; an explicit 0 asks for nothing and is accepted.
        if (fifo_ && *e.delay_seconds != 0)
          return invalid("DelaySeconds", std::to_string(*e.delay_seconds),
                         "The request include parameter that is not valid for this queue type.");
      }
      p.delay_ms = TimeMs(fifo_ ? attrs.delay_seconds : e.delay_seconds.value_or(attrs.delay_seconds)) * 1000;
      // A group id that is given must be a valid one, empty included, on every queue type.
      if (e.group_id && !valid_fifo_token(*e.group_id))
        return invalid("MessageGroupId", *e.group_id,
                       "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in "
                       "length.");
      const std::string group = e.group_id.value_or(std::string());
      if (fifo_) {
        if (!e.group_id) return missing("MessageGroupId");
        if (e.deduplication_id.empty()) {
          if (!attrs.content_based_deduplication)
            return fail(errc::invalid_argument, "MessageDeduplicationId",
                        "The queue should either have ContentBasedDeduplication enabled or "
                        "MessageDeduplicationId provided explicitly");
          e.deduplication_id = to_hex(sha256(e.body));
        } else if (!valid_fifo_token(e.deduplication_id)) {
          return invalid("MessageDeduplicationId", e.deduplication_id,
                         "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to "
                         "128 in length.");
        }
        p.dedup_key = attrs.deduplication_scope == DeduplicationScope::message_group ? group + '\0' + e.deduplication_id
                                                                                     : e.deduplication_id;
      } else if (!e.deduplication_id.empty()) {
        return invalid("MessageDeduplicationId", e.deduplication_id,
                       "The request include parameter that is not valid for this queue type.");
      }
      MessageBlob blob;
      blob.md5_body = e.body_md5 ? *e.body_md5 : md5(e.body);
      if (!e.attributes.empty()) blob.md5_attributes = md5_of_attributes(e.attributes);
      if (!e.system_attributes.empty()) {
        blob.md5_system_attributes = md5_of_attributes(e.system_attributes);
        blob.trace_header = e.system_attributes.begin()->second.value;
      }
      blob.body = std::move(e.body);
      blob.attributes = std::move(e.attributes);
      blob.sender_id = std::move(e.sender_id);
      blob.deduplication_id = std::move(e.deduplication_id);
      p.outcome.md5_body = blob.md5_body;
      p.outcome.md5_attributes = blob.md5_attributes;
      p.outcome.md5_system_attributes = blob.md5_system_attributes;
      p.blob = encode_blob(blob);
      p.group_id = group;
      p.size = uint32_t(size);
      return p;
    }();
    prepared.push_back(std::move(prep));
  }

  auto& results = staged.results;
  results.reserve(prepared.size());
  {
    std::lock_guard lock(mu_);
    if (retired_) return {all_missing<Result<SendOutcome>>(prepared.size())};
    staged.durability = attrs_.durability;
    advance_locked(now);
    for (auto& p : prepared) {
      if (!p.ok()) {
        results.emplace_back(Failure<Error>{p.error()});
        continue;
      }
      PreparedSend& ps = p.value();
      if (fifo_) {
        if (auto it = dedup_.find(ps.dedup_key); it != dedup_.end() && it->second.expires_ms > now) {
          ps.outcome.message_id = it->second.message_id;
          ps.outcome.sequence_number = it->second.sequence_number;
          results.emplace_back(std::move(ps.outcome));
          continue;
        }
      }
      Seq seq = next_seq_locked(now);
      Message m;
      m.id = uuid4_bytes();
      m.sent_ms = now;
      m.available_ms = now + ps.delay_ms;
      m.size = ps.size;
      m.group = group_locked(ps.group_id);
      ++m.group->messages;
      ps.outcome.message_id = format_uuid(m.id);
      if (fifo_) {
        ps.outcome.sequence_number = format_sequence(seq);
        TimeMs expires = now + limits::kDeduplicationIntervalMs;
        dedup_[ps.dedup_key] = Dedup{ps.outcome.message_id, ps.outcome.sequence_number, expires};
        dedup_order_.emplace_back(expires, ps.dedup_key);
        batch.put(format::dedup_key(identity_.uid, ps.dedup_key),
                  format::encode_dedup({ps.outcome.message_id, ps.outcome.sequence_number, expires}));
      }
      put_meta_locked(seq, m, batch);
      batch.put(format::blob_key(identity_.uid, seq), std::move(ps.blob));
      messages_.emplace(seq, std::move(m));
      staged.seqs.push_back(seq);
      staged.sizes.push_back(ps.size);
      results.emplace_back(std::move(ps.outcome));
    }
    batch.append(std::move(housekeeping_));
  }
  return staged;
}

void Queue::complete_send(StagedSend& staged, bool ok) {
  activate(staged.seqs, ok);
  if (ok) {
    for (uint32_t s : staged.sizes) probe_.sent(s);
  } else {
    mark_unstored(staged.results, "The message");
  }
}

// Makes committed messages receivable (or drops them if the commit failed).
void Queue::activate(const std::vector<Seq>& seqs, bool ok) {
  std::vector<Wakeup> wakeups;
  std::vector<TransferredMessage> to_dlq;
  storage::WriteBatch batch;
  {
    std::lock_guard lock(mu_);
    const TimeMs now = clock_.now();
    const TimeMs retention_ms = TimeMs(attrs_.message_retention_period) * 1000;
    for (Seq seq : seqs) {
      auto it = messages_.find(seq);
      if (it == messages_.end() || it->second.state != State::pending) continue;
      Message& m = it->second;
      if (!ok) {
        storage::WriteBatch ignored;
        erase_locked(seq, ignored);
        continue;
      }
      expiry_.push({m.sent_ms + retention_ms, seq});
      if (m.available_ms > now) {
        m.state = State::delayed;
        ++delayed_;
        availability_.push({m.available_ms, seq, m.timer_gen});
      } else {
        make_ready_locked(seq, m);
      }
    }
    serve_waiters_locked(wakeups, batch, to_dlq);
  }
  finish(std::move(wakeups), std::move(batch), std::move(to_dlq));
}

// --- receive --------------------------------------------------------------------

std::vector<Queue::Pick> Queue::take_locked(const ReceiveRequest& req, TimeMs now,
                                            std::vector<TransferredMessage>& to_dlq, storage::WriteBatch& batch) {
  std::vector<Pick> picks;
  int want = req.max_messages;
  const TimeMs visibility_ms = TimeMs(req.visibility_timeout.value_or(attrs_.visibility_timeout)) * 1000;
  const bool redrive = attrs_.redrive_policy && !dead_letter_queue_.expired();
  const uint32_t max_receives = redrive ? uint32_t(attrs_.redrive_policy->max_receive_count) : 0;
  std::vector<Group*> touched;
  // Each pass either drops a group from the ring or consumes a heap entry, so this ends.
  while (want > 0 && !ring_.empty()) {
    Group* g = ring_.front();
    ring_.pop_front();
    g->in_ring = false;
    touched.push_back(g);
    if (fifo_ && g->inflight > 0) continue;
    Seq seq;
    while (want > 0 && pop_ready_locked(g, seq)) {
      Message& m = messages_.at(seq);
      if (redrive && m.receive_count >= max_receives) {
        TransferredMessage t{m.id, m.sent_ms, g->id, m.size, seq, {}};
        --visible_;
        --g->messages;
        messages_.erase(seq);
        to_dlq.push_back(std::move(t));
        continue;
      }
      m.state = State::inflight;
      --visible_;
      ++inflight_;
      ++g->inflight;
      ++m.receive_count;
      ++m.nonce;
      ++m.timer_gen;
      if (m.first_receive_ms == 0) m.first_receive_ms = now;
      m.received_ms = now;
      m.available_ms = now + visibility_ms;
      availability_.push({m.available_ms, seq, m.timer_gen});
      put_meta_locked(seq, m, batch);
      picks.push_back(Pick{seq, m.id, m.nonce, m.receive_count, m.sent_ms, m.first_receive_ms, g->id});
      --want;
      if (!fifo_) break;  // standard queues take one message per group per round: fair across tenants
    }
    make_eligible_locked(g);
  }
  for (Group* g : touched) release_group_locked(g);
  return picks;
}

ReceiveRequest Queue::normalize(ReceiveRequest r) const {
  if (!r.wait_seconds) r.wait_seconds = attrs_.receive_message_wait_time_seconds;
  return r;
}

void Queue::receive(ReceiveRequest req, ReceiveCallback done) {
  if (req.max_messages < limits::kMinMessages || req.max_messages > limits::kMaxMessages) {
    done(invalid("MaxNumberOfMessages", std::to_string(req.max_messages), "Must be between 1 and 10, if provided."));
    return;
  }
  if (req.wait_seconds && (*req.wait_seconds < 0 || *req.wait_seconds > limits::kMaxWaitSeconds)) {
    done(invalid("WaitTimeSeconds", std::to_string(*req.wait_seconds), "Must be >= 0 and <= 20, if provided."));
    return;
  }
  if (req.visibility_timeout &&
      (*req.visibility_timeout < 0 || *req.visibility_timeout > limits::kMaxVisibilitySeconds)) {
    done(invalid("VisibilityTimeout", std::to_string(*req.visibility_timeout),
                 "Must be between 0 and 43200, if provided."));
    return;
  }
  if (req.attempt_id.size() > limits::kMaxReceiveRequestAttemptIdLength) {
    done(invalid("ReceiveRequestAttemptId", req.attempt_id, "Must be at most 128 characters."));
    return;
  }

  std::vector<Pick> picks;
  std::vector<TransferredMessage> to_dlq;
  storage::WriteBatch batch;
  bool waiting = false;
  {
    std::lock_guard lock(mu_);
    if (retired_) {
      done(no_such_queue());
      return;
    }
    const TimeMs now = clock_.now();
    advance_locked(now);
    req = normalize(std::move(req));
    if (!fifo_ && inflight_ >= limits::kMaxInflightStandard) {
      done(fail(errc::limit_exceeded, "", "Too many messages in flight for queue " + identity_.name + "."));
      return;
    }
    // A FIFO retry with the same attempt id gets the same messages and handles back.
    if (fifo_ && !req.attempt_id.empty()) {
      if (auto it = attempts_.find(req.attempt_id); it != attempts_.end() && it->second.expires_ms > now) {
        const TimeMs visibility_ms = TimeMs(req.visibility_timeout.value_or(attrs_.visibility_timeout)) * 1000;
        for (auto [seq, nonce] : it->second.messages) {
          auto m = messages_.find(seq);
          if (m == messages_.end() || m->second.nonce != nonce || m->second.state != State::inflight) continue;
          Message& msg = m->second;
          ++msg.timer_gen;
          msg.available_ms = now + visibility_ms;
          availability_.push({msg.available_ms, seq, msg.timer_gen});
          put_meta_locked(seq, msg, batch);
          picks.push_back(
              Pick{seq, msg.id, msg.nonce, msg.receive_count, msg.sent_ms, msg.first_receive_ms, msg.group->id});
        }
      }
    }
    if (picks.empty()) picks = take_locked(req, now, to_dlq, batch);
    if (fifo_ && !req.attempt_id.empty() && !picks.empty()) {
      Attempt a{now + limits::kDeduplicationIntervalMs, {}};
      for (const auto& p : picks) a.messages.emplace_back(p.seq, p.nonce);
      attempts_[req.attempt_id] = std::move(a);
      attempt_order_.emplace_back(now + limits::kDeduplicationIntervalMs, req.attempt_id);
    }
    if (picks.empty() && *req.wait_seconds > 0) {
      auto w = std::make_shared<Waiter>();
      w->request = req;
      w->done = std::move(done);
      std::weak_ptr<Queue> weak_self = weak_from_this();
      std::weak_ptr<Waiter> weak_waiter = w;
      w->timer = scheduler_.schedule_at(now + TimeMs(*req.wait_seconds) * 1000, [weak_self, weak_waiter] {
        auto self = weak_self.lock();
        auto waiter = weak_waiter.lock();
        if (!self || !waiter) return;
        {
          std::lock_guard guard(self->mu_);
          if (waiter->claimed) return;
          waiter->claimed = true;
          auto& ws = self->waiters_;
          ws.erase(std::remove(ws.begin(), ws.end(), waiter), ws.end());
        }
        self->probe_.empty_receive();
        waiter->done(std::vector<ReceivedMessage>{});
      });
      while (!waiters_.empty() && waiters_.front()->claimed) waiters_.pop_front();
      waiters_.push_back(std::move(w));
      arm_wake_timer_locked();
      waiting = true;
    }
    batch.append(std::move(housekeeping_));
  }
  finish({}, std::move(batch), std::move(to_dlq));
  if (!waiting) deliver(std::move(picks), done);
}

void Queue::serve_waiters_locked(std::vector<Wakeup>& out, storage::WriteBatch& batch,
                                 std::vector<TransferredMessage>& to_dlq) {
  const TimeMs now = clock_.now();
  while (!waiters_.empty() && visible_ > 0) {
    auto w = waiters_.front();
    if (w->claimed) {
      waiters_.pop_front();
      continue;
    }
    auto picks = take_locked(w->request, now, to_dlq, batch);
    if (picks.empty()) break;
    w->claimed = true;
    waiters_.pop_front();
    out.push_back(Wakeup{std::move(w), std::move(picks)});
  }
  arm_wake_timer_locked();
}

void Queue::arm_wake_timer_locked() {
  if (retired_ || waiters_.empty() || availability_.empty()) return;
  TimeMs due = availability_.top().due;
  if (wake_timer_ && wake_due_ <= due) return;
  if (wake_timer_) scheduler_.cancel(wake_timer_);
  wake_due_ = due;
  std::weak_ptr<Queue> weak_self = weak_from_this();
  wake_timer_ = scheduler_.schedule_at(due, [weak_self] {
    if (auto self = weak_self.lock()) self->on_wake_timer();
  });
}

void Queue::on_wake_timer() {
  std::vector<Wakeup> wakeups;
  std::vector<TransferredMessage> to_dlq;
  storage::WriteBatch batch;
  {
    std::lock_guard lock(mu_);
    wake_timer_ = 0;
    advance_locked(clock_.now());
    serve_waiters_locked(wakeups, batch, to_dlq);
    batch.append(std::move(housekeeping_));
  }
  finish(std::move(wakeups), std::move(batch), std::move(to_dlq));
}

void Queue::finish(std::vector<Wakeup> wakeups, storage::WriteBatch batch, std::vector<TransferredMessage> to_dlq) {
  if (!batch.empty()) store_.commit(std::move(batch), storage::Durability::periodic, nullptr);
  if (!to_dlq.empty()) {
    probe_.messages_redriven.fetch_add(to_dlq.size(), std::memory_order_relaxed);
    QueuePtr dlq;
    {
      std::lock_guard lock(mu_);
      dlq = dead_letter_queue_.lock();
    }
    if (dlq && host_) host_->redrive(shared_from_this(), dlq, std::move(to_dlq));
  }
  // Reading bodies and answering happen on a worker, so that the store's committer
  // thread (which runs activate()) goes straight back to committing.
  for (auto& w : wakeups) {
    scheduler_.cancel(w.waiter->timer);
    scheduler_.post(
        [self = shared_from_this(), w = std::move(w)]() mutable { self->deliver(std::move(w.picks), w.waiter->done); });
  }
}

void Queue::deliver(std::vector<Pick> picks, const ReceiveCallback& done) {
  if (picks.empty()) {
    probe_.empty_receive();
    done(std::vector<ReceivedMessage>{});
    return;
  }
  std::vector<std::string> keys;
  keys.reserve(picks.size());
  for (const auto& p : picks) keys.push_back(format::blob_key(identity_.uid, p.seq));
  auto blobs = store_.multi_get(keys);
  std::vector<ReceivedMessage> out;
  std::vector<Pick> unreadable;
  out.reserve(picks.size());
  for (size_t i = 0; i < picks.size(); ++i) {
    const Pick& p = picks[i];
    if (blobs[i].failed()) {
      unreadable.push_back(p);
      continue;
    }
    if (!blobs[i].found()) continue;  // deleted meanwhile (purge, retention, queue deletion)
    auto blob = decode_blob(blobs[i].value);
    if (!blob) continue;
    ReceivedMessage r;
    r.message_id = format_uuid(p.id);
    r.receipt_handle = receipt_handle(p.seq, p.nonce);
    r.blob = std::move(*blob);
    r.sent_ms = p.sent_ms;
    r.first_receive_ms = p.first_receive_ms;
    r.receive_count = p.receive_count;
    r.group_id = p.group_id;
    if (fifo_) r.sequence_number = format_sequence(p.seq);
    out.push_back(std::move(r));
  }
  // A body that cannot be read is not lost: the message goes back to the queue.
  if (!unreadable.empty()) release(unreadable);
  if (out.empty() && !unreadable.empty()) return done(storage_unreadable("The messages"));
  probe_.received(out.size());
  if (out.empty()) probe_.empty_receive();
  done(std::move(out));
}

void Queue::release(const std::vector<Pick>& picks) {
  std::vector<Wakeup> wakeups;
  std::vector<TransferredMessage> to_dlq;
  storage::WriteBatch batch;
  {
    std::lock_guard lock(mu_);
    for (const auto& p : picks) {
      auto it = messages_.find(p.seq);
      if (it == messages_.end() || it->second.nonce != p.nonce || it->second.state != State::inflight) continue;
      Message& m = it->second;
      ++m.timer_gen;
      m.available_ms = clock_.now();
      --inflight_;
      --m.group->inflight;
      make_ready_locked(p.seq, m);
    }
    serve_waiters_locked(wakeups, batch, to_dlq);
    batch.append(std::move(housekeeping_));
  }
  finish(std::move(wakeups), std::move(batch), std::move(to_dlq));
}

// --- delete and visibility -------------------------------------------------------

void Queue::delete_messages(std::vector<std::string> handles, BatchCallback done) {
  std::vector<Status> results(handles.size());
  std::vector<Wakeup> wakeups;
  std::vector<TransferredMessage> to_dlq;
  storage::WriteBatch batch, receives;
  storage::Durability durability;
  uint64_t deleted = 0;
  {
    std::lock_guard lock(mu_);
    if (retired_) return done(all_missing<Status>(handles.size()));
    durability = attrs_.durability;
    advance_locked(clock_.now());
    for (size_t i = 0; i < handles.size(); ++i) {
      Seq seq;
      uint32_t nonce;
      if (!parse_receipt_handle(handles[i], seq, nonce)) {
        results[i] = invalid_handle(handles[i]);
        continue;
      }
      auto it = messages_.find(seq);
      // FIFO refuses a handle whose visibility timeout is over (the message may be
      // another consumer's by now, and the group's order depends on it).
      if (fifo_ && it != messages_.end() && !current_handle_locked(it->second, nonce)) {
        results[i] = expired_handle(handles[i]);
        continue;
      }
      // On a standard queue an outdated handle (the message was received again
      // since) succeeds without deleting.
      if (it == messages_.end() || it->second.nonce != nonce || it->second.state == State::pending) continue;
      erase_locked(seq, batch);
      ++deleted;
    }
    serve_waiters_locked(wakeups, receives, to_dlq);
    batch.append(std::move(housekeeping_));
  }
  finish(std::move(wakeups), std::move(receives), std::move(to_dlq));
  if (batch.empty()) {
    done(std::move(results));
    return;
  }
  auto self = shared_from_this();
  store_.commit(std::move(batch), durability,
                [self, deleted, results = std::move(results), done = std::move(done)](bool ok) mutable {
                  if (ok) {
                    self->probe_.deleted(deleted);
                  } else {
                    mark_unstored(results, "The deletion");
                  }
                  done(std::move(results));
                });
}

void Queue::change_visibility(std::vector<VisibilityChange> changes, BatchCallback done) {
  std::vector<Status> results(changes.size());
  std::vector<Wakeup> wakeups;
  std::vector<TransferredMessage> to_dlq;
  storage::WriteBatch batch, receives;
  storage::Durability durability;
  {
    std::lock_guard lock(mu_);
    if (retired_) return done(all_missing<Status>(changes.size()));
    durability = attrs_.durability;
    const TimeMs now = clock_.now();
    advance_locked(now);
    for (size_t i = 0; i < changes.size(); ++i) {
      const auto& c = changes[i];
      if (c.visibility_timeout < 0 || c.visibility_timeout > limits::kMaxVisibilitySeconds) {
        results[i] = invalid("VisibilityTimeout", std::to_string(c.visibility_timeout),
                             "Must be between 0 and 43200, if provided.");
        continue;
      }
      Seq seq;
      uint32_t nonce;
      if (!parse_receipt_handle(c.receipt_handle, seq, nonce)) {
        results[i] = invalid_handle(c.receipt_handle);
        continue;
      }
      auto it = messages_.find(seq);
      if (it == messages_.end() || it->second.state == State::pending || nonce > it->second.nonce) {
        results[i] = Failure<Error>{Error{errc::not_found, "ReceiptHandle",
                                          "Message does not exist or is not available for visibility timeout change.",
                                          c.receipt_handle}};
        continue;
      }
      Message& m = it->second;
      // A FIFO handle is good only while its own visibility timeout runs. On a
      // standard queue any handle of an in-flight message changes it, and the
      // latest handle of a message visible again hides it again, as on AWS.
      const bool usable = fifo_ ? current_handle_locked(m, nonce)
                                : m.state == State::inflight || (m.state == State::ready && nonce == m.nonce);
      if (!usable) {
        results[i] = fifo_ ? expired_handle(c.receipt_handle)
                           : Failure<Error>{Error{errc::not_found, "ReceiptHandle",
                                                  "Message does not exist or is not available for visibility "
                                                  "timeout change.",
                                                  c.receipt_handle}};
        continue;
      }
      const TimeMs until = now + TimeMs(c.visibility_timeout) * 1000;
      if (until - m.received_ms > kMaxVisibilityMs) {
        results[i] = invalid("VisibilityTimeout", std::to_string(c.visibility_timeout),
                             "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
        continue;
      }
      ++m.timer_gen;
      m.available_ms = until;
      if (m.state == State::ready && c.visibility_timeout > 0) {
        // Hidden again: its entry in the group's ready heap goes stale.
        m.state = State::inflight;
        --visible_;
        ++inflight_;
        ++m.group->inflight;
      }
      if (m.state == State::inflight && c.visibility_timeout == 0) {
        --inflight_;
        --m.group->inflight;
        make_ready_locked(seq, m);  // a FIFO group is released at once
      } else if (m.state == State::inflight) {
        availability_.push({until, seq, m.timer_gen});
      }
      put_meta_locked(seq, m, batch);
    }
    serve_waiters_locked(wakeups, receives, to_dlq);
    batch.append(std::move(housekeeping_));
  }
  finish(std::move(wakeups), std::move(receives), std::move(to_dlq));
  if (batch.empty()) {
    done(std::move(results));
    return;
  }
  store_.commit(std::move(batch), durability, [results = std::move(results), done = std::move(done)](bool ok) mutable {
    if (!ok) mark_unstored(results, "The change");
    done(std::move(results));
  });
}

void Queue::purge(StatusCallback done) {
  storage::WriteBatch batch;
  storage::Durability durability;
  {
    std::lock_guard lock(mu_);
    if (retired_) {
      done(no_such_queue());
      return;
    }
    const TimeMs now = clock_.now();
    if (last_purge_ms_ && now - last_purge_ms_ < limits::kPurgeIntervalMs) {
      done(fail(errc::state_conflict, "QueueUrl",
                "Only one PurgeQueue operation on " + identity_.name + " is allowed every 60 seconds."));
      return;
    }
    last_purge_ms_ = now;
    durability = attrs_.durability;
    std::vector<Seq> doomed;
    doomed.reserve(messages_.size());
    for (const auto& [seq, m] : messages_)
      if (m.state != State::pending) doomed.push_back(seq);
    for (Seq seq : doomed) erase_locked(seq, batch);
    // A purge starts a FIFO queue afresh: ids sent before it are not duplicates
    // after it, as on AWS. (dedup_order_'s entries go stale and are skipped.)
    for (const auto& [id, d] : dedup_) batch.del(format::dedup_key(identity_.uid, id));
    dedup_.clear();
    attempts_.clear();
    batch.append(std::move(housekeeping_));
  }
  store_.commit(std::move(batch), durability, [done = std::move(done)](bool ok) {
    if (ok) {
      done({});
    } else {
      done(storage_failed("The purge"));
    }
  });
}

// --- settings --------------------------------------------------------------------

QueueAttributes Queue::attributes() const {
  std::lock_guard lock(mu_);
  return attrs_;
}

void Queue::set_attributes(const QueueAttributes& attributes) {
  std::lock_guard lock(mu_);
  bool retention_changed = attributes.message_retention_period != attrs_.message_retention_period;
  attrs_ = attributes;
  modified_ms_ = clock_.now();
  if (retention_changed) {
    // Entries are re-checked against the current period when they come due; a
    // shorter period needs them earlier, so rebuild.
    decltype(expiry_) rebuilt;
    const TimeMs retention_ms = TimeMs(attrs_.message_retention_period) * 1000;
    for (const auto& [seq, m] : messages_)
      if (m.state != State::pending) rebuilt.push({m.sent_ms + retention_ms, seq});
    expiry_ = std::move(rebuilt);
  }
}

TimeMs Queue::modified_ms() const {
  std::lock_guard lock(mu_);
  return modified_ms_;
}

TimeMs Queue::last_purge_ms() const {
  std::lock_guard lock(mu_);
  return last_purge_ms_;
}

QueueCounts Queue::counts() {
  storage::WriteBatch batch;
  QueueCounts c;
  {
    std::lock_guard lock(mu_);
    advance_locked(clock_.now());
    while (!expiry_.empty() && !messages_.count(expiry_.top().seq)) expiry_.pop();
    c.visible = visible_;
    c.inflight = inflight_;
    c.delayed = delayed_;
    if (!expiry_.empty()) c.oldest_sent_ms = messages_.at(expiry_.top().seq).sent_ms;
    batch.append(std::move(housekeeping_));
  }
  if (!batch.empty()) store_.commit(std::move(batch), storage::Durability::periodic, nullptr);
  return c;
}

std::vector<std::pair<std::string, std::string>> Queue::tags() const {
  std::lock_guard lock(mu_);
  return tags_;
}

void Queue::set_tags(std::vector<std::pair<std::string, std::string>> tags) {
  std::lock_guard lock(mu_);
  tags_ = std::move(tags);
}

void Queue::set_dead_letter_queue(std::weak_ptr<Queue> dlq) {
  std::lock_guard lock(mu_);
  dead_letter_queue_ = std::move(dlq);
}

void Queue::retire() {
  {
    std::lock_guard lock(mu_);
    retired_ = true;
  }
  release_waiters();
}

void Queue::release_waiters() {
  std::vector<std::shared_ptr<Waiter>> mine;
  {
    std::lock_guard lock(mu_);
    for (auto& w : waiters_) {
      if (w->claimed) continue;  // already answered by its timeout
      w->claimed = true;
      scheduler_.cancel(w->timer);
      mine.push_back(std::move(w));
    }
    waiters_.clear();
    if (wake_timer_) scheduler_.cancel(wake_timer_);
    wake_timer_ = 0;
  }
  for (auto& w : mine) w->done(std::vector<ReceivedMessage>{});
}

bool Queue::retired() const {
  std::lock_guard lock(mu_);
  return retired_;
}

// --- persistence -------------------------------------------------------------------

format::QueueRecord Queue::record() const {
  std::lock_guard lock(mu_);
  return {identity_.uid, created_ms_, modified_ms_, encode_attributes(attrs_), tags_};
}

Queue::Recovered Queue::recover() {
  std::lock_guard lock(mu_);
  Recovered out;
  const TimeMs now = clock_.now();
  const TimeMs retention_ms = TimeMs(attrs_.message_retention_period) * 1000;
  // An unreadable record is skipped and counted, not fatal: the rest of the queue
  // is still served (storage_test corrupts records on purpose).
  out.ok = store_.scan(format::uid_prefix(storage::Tag::message_meta, identity_.uid),
                       [&](std::string_view key, std::string_view value) {
                         const Seq seq = format::seq_of(key);
                         auto meta = format::decode_message_meta(value);
                         if (seq == 0 || !meta) {
                           ++out.skipped;
                           return true;
                         }
                         Message m;
                         m.id = meta->id;
                         m.sent_ms = meta->sent_ms;
                         m.available_ms = meta->available_ms;
                         m.first_receive_ms = meta->first_receive_ms;
                         m.received_ms = meta->received_ms;
                         m.receive_count = meta->receive_count;
                         m.nonce = meta->nonce;
                         m.size = meta->size;
                         m.group = group_locked(std::string(meta->group_id));
                         ++m.group->messages;
                         last_seq_ = std::max(last_seq_, seq);
                         auto& stored = messages_.emplace(seq, m).first->second;
                         ++out.messages;
                         expiry_.push({m.sent_ms + retention_ms, seq});
                         if (stored.available_ms > now) {
                           if (stored.receive_count > 0) {
                             stored.state = State::inflight;
                             ++inflight_;
                             ++stored.group->inflight;
                           } else {
                             stored.state = State::delayed;
                             ++delayed_;
                           }
                           availability_.push({stored.available_ms, seq, stored.timer_gen});
                         } else {
                           make_ready_locked(seq, stored);
                         }
                         return true;
                       });
  out.ok = out.ok && store_.scan(format::uid_prefix(storage::Tag::dedup, identity_.uid), [&](std::string_view key,
                                                                                             std::string_view value) {
    auto entry = format::decode_dedup(value);
    if (!entry) {
      ++out.skipped;
      return true;
    }
    if (entry->expires_ms <= now) {
      housekeeping_.del(std::string(key));
      return true;
    }
    std::string dk(format::dedup_of(key));
    dedup_order_.emplace_back(entry->expires_ms, dk);
    dedup_.emplace(std::move(dk),
                   Dedup{std::move(entry->message_id), std::move(entry->sequence_number), entry->expires_ms});
    return true;
  });
  std::sort(dedup_order_.begin(), dedup_order_.end());
  return out;
}

// --- transfers between queues --------------------------------------------------------

std::vector<TransferredMessage> Queue::extract_for_move(size_t limit, Seq max_seq) {
  std::vector<TransferredMessage> out;
  storage::WriteBatch batch;
  {
    std::lock_guard lock(mu_);
    advance_locked(clock_.now());
    std::vector<Group*> touched;
    for (auto& [id, g] : groups_) {
      touched.push_back(&g);
      Seq seq;
      while (out.size() < limit && pop_ready_locked(&g, seq)) {
        if (seq > max_seq) {
          g.ready.push(seq);
          break;
        }
        Message& m = messages_.at(seq);
        out.push_back(TransferredMessage{m.id, m.sent_ms, g.id, m.size, seq, {}});
        --visible_;
        --g.messages;
        messages_.erase(seq);
      }
      if (out.size() >= limit) break;
    }
    for (Group* g : touched) {
      make_eligible_locked(g);
      release_group_locked(g);
    }
    batch.append(std::move(housekeeping_));
  }
  if (!batch.empty()) store_.commit(std::move(batch), storage::Durability::periodic, nullptr);
  return out;
}

void Queue::restore(std::vector<TransferredMessage> messages) {
  std::vector<Wakeup> wakeups;
  std::vector<TransferredMessage> to_dlq;
  storage::WriteBatch batch;
  {
    std::lock_guard lock(mu_);
    if (retired_) return;
    const TimeMs retention_ms = TimeMs(attrs_.message_retention_period) * 1000;
    for (auto& t : messages) {
      if (messages_.count(t.source_seq)) continue;
      Message m;
      m.id = t.id;
      m.sent_ms = t.sent_ms;
      m.available_ms = clock_.now();
      m.size = t.size;
      m.group = group_locked(t.group_id);
      ++m.group->messages;
      auto& stored = messages_.emplace(t.source_seq, m).first->second;
      expiry_.push({m.sent_ms + retention_ms, t.source_seq});
      make_ready_locked(t.source_seq, stored);
    }
    serve_waiters_locked(wakeups, batch, to_dlq);
    batch.append(std::move(housekeeping_));
  }
  finish(std::move(wakeups), std::move(batch), std::move(to_dlq));
}

std::function<void(bool)> Queue::import(std::vector<TransferredMessage>& messages, storage::WriteBatch& batch) {
  std::vector<Seq> seqs;
  {
    std::lock_guard lock(mu_);
    const TimeMs now = clock_.now();
    for (auto& t : messages) {
      Seq seq = next_seq_locked(now);
      Message m;
      m.id = t.id;
      m.sent_ms = t.sent_ms;
      m.available_ms = now;
      m.size = t.size;
      m.group = group_locked(t.group_id);
      ++m.group->messages;
      put_meta_locked(seq, m, batch);
      batch.put(format::blob_key(identity_.uid, seq), t.blob);
      messages_.emplace(seq, std::move(m));
      seqs.push_back(seq);
    }
  }
  auto self = shared_from_this();
  return [self, seqs = std::move(seqs)](bool ok) { self->activate(seqs, ok); };
}

void Queue::append_removal(const std::vector<TransferredMessage>& messages, storage::WriteBatch& batch) const {
  for (const auto& t : messages) {
    batch.del(format::meta_key(identity_.uid, t.source_seq));
    batch.del(format::blob_key(identity_.uid, t.source_seq));
  }
}

}  // namespace sluice::queue
