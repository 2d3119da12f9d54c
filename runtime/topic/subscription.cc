#include "runtime/topic/subscription.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "runtime/common/random.h"
#include "runtime/topic/envelope.h"
#include "runtime/topic/token.h"
#include "runtime/topic/topic.h"

namespace sluice::topic {
namespace {

using nlohmann::json;

bool is_http(std::string_view protocol) { return protocol == "http" || protocol == "https"; }

}  // namespace

Result<SubscriptionSettings, Error> compile_settings(const Attributes& attributes, std::string_view protocol) {
  SubscriptionSettings s;
  s.attributes = attributes;
  s.raw = attribute_true(attributes, "RawMessageDelivery");
  if (s.raw && protocol != "sqs" && !is_http(protocol) && protocol != "firehose")
    return invalid("Attributes.RawMessageDelivery", "true",
                   "Delivery protocol [" + std::string(protocol) + "] does not support raw message delivery.");
  const std::string scope_name = attribute_or(attributes, "FilterPolicyScope", "MessageAttributes");
  if (auto it = attributes.find("FilterPolicy"); it != attributes.end()) {
    auto scope = scope_name == "MessageBody" ? FilterScope::message_body : FilterScope::message_attributes;
    auto f = FilterPolicy::parse(it->second, scope);
    if (!f) return Failure<Error>{f.error()};
    s.filter = std::move(*f);
  }
  if (auto it = attributes.find("DeliveryPolicy"); it != attributes.end()) {
    if (!is_http(protocol))
      return invalid("Attributes.DeliveryPolicy", it->second,
                     "DeliveryPolicy: only HTTP/S subscriptions take a delivery policy");
    auto p = parse_subscription_delivery_policy(it->second, "Attributes.DeliveryPolicy");
    if (!p) return Failure<Error>{p.error()};
    s.delivery_policy = *p;
  }
  if (auto it = attributes.find("RedrivePolicy"); it != attributes.end())
    s.dead_letter_arn = json::parse(it->second).value("deadLetterTargetArn", "");
  return s;
}

Subscription::Subscription(std::string arn, std::string topic_arn, format::SubscriptionRecord record,
                           SubscriptionSettings settings, std::weak_ptr<Topic> topic, storage::Store& store,
                           const DeliveryContext& context)
    : arn_(std::move(arn)),
      topic_arn_(std::move(topic_arn)),
      protocol_(record.protocol),
      endpoint_(record.endpoint),
      uid_(record.uid),
      topic_(std::move(topic)),
      store_(store),
      context_(context),
      deliverer_(protocol_ == "sqs" ? make_sqs_deliverer(context) : make_http_deliverer(context)),
      record_(std::move(record)),
      settings_(std::move(settings)) {}

Subscription::~Subscription() = default;

format::SubscriptionRecord Subscription::record() const {
  std::lock_guard lock(mu_);
  format::SubscriptionRecord r = record_;
  r.attributes = settings_.attributes;
  return r;
}

SubscriptionSettings Subscription::settings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

void Subscription::set_settings(SubscriptionSettings settings) {
  {
    std::lock_guard lock(mu_);
    settings_ = std::move(settings);
  }
  wake();
}

bool Subscription::confirmed() const {
  std::lock_guard lock(mu_);
  return record_.state == format::SubscriptionState::confirmed;
}

void Subscription::confirm(bool authenticated, Seq cursor) {
  {
    std::lock_guard lock(mu_);
    record_.state = format::SubscriptionState::confirmed;  // the token stays: SubscribeURL may be visited again
    record_.authenticated = record_.authenticated || authenticated;
    cursor_ = next_ = persisted_cursor_ = cursor;
  }
  wake();
}

Seq Subscription::cursor() const {
  std::lock_guard lock(mu_);
  return cursor_;
}

std::string Subscription::replay_status() const {
  std::lock_guard lock(mu_);
  return replay_status_;
}

int64_t Subscription::oldest_pending_age_ms() const {
  auto topic = topic_.lock();
  if (!topic) return 0;
  Seq from;
  {
    std::lock_guard lock(mu_);
    if (record_.state != format::SubscriptionState::confirmed) return 0;
    from = cursor_;
  }
  auto m = topic->next(from);
  return m ? std::max<int64_t>(0, context_.clock->now() - m->timestamp_ms) : 0;
}

void Subscription::retire() {
  std::lock_guard lock(mu_);
  retired_ = true;
  inflight_.clear();
}

void Subscription::wake() {
  {
    std::lock_guard lock(mu_);
    if (retired_ || record_.state != format::SubscriptionState::confirmed) return;
    if (pumping_) {
      repump_ = true;
      return;
    }
    pumping_ = true;
  }
  context_.scheduler->post([self = shared_from_this()] { self->pump(); });
}

Target Subscription::target_locked(const Topic& topic) const {
  Target t;
  t.subscription_arn = arn_;
  t.topic_arn = topic_arn_;
  t.protocol = protocol_;
  t.endpoint = endpoint_;
  t.raw = settings_.raw;
  t.fifo_topic = topic.fifo();
  t.signature_version = topic.signature_version();
  if (is_http(protocol_))
    t.content_type = effective_delivery_policy(topic.delivery_policy(), settings_.delivery_policy).header_content_type;
  return t;
}

FilterOutcome Subscription::filter_locked(const Published& m) const {
  if (!settings_.filter) return FilterOutcome::match;
  return settings_.filter->scope() == FilterScope::message_body ? settings_.filter->evaluate(m.entry.message)
                                                                : settings_.filter->evaluate(m.entry.attributes);
}

void Subscription::count_filtered(FilterOutcome outcome) {
  switch (outcome) {
    case FilterOutcome::no_attributes:
      probe_.filtered_out_no_attributes++;
      break;
    case FilterOutcome::invalid_attributes:
      probe_.filtered_out_invalid_attributes++;
      break;
    case FilterOutcome::invalid_body:
      probe_.filtered_out_invalid_body++;
      break;
    default:
      break;
  }
  probe_.filtered_out++;
}

bool Subscription::writes_through_locked() const {
  return !retired_ && record_.state == format::SubscriptionState::confirmed && protocol_ == "sqs" && context_.queues;
}

void Subscription::presign(const std::vector<PublishedPtr>& messages) {
  auto topic = topic_.lock();
  if (!topic || topic->fifo()) return;  // FIFO notifications are not signed
  Target target;
  {
    std::lock_guard lock(mu_);
    if (!writes_through_locked() || settings_.raw) return;
    target = target_locked(*topic);
  }
  for (const auto& m : messages) (void)notification_signature(*m, target, context_);
}

Subscription::Inline Subscription::take_inline(const std::vector<PublishedPtr>& messages, storage::WriteBatch& commit,
                                               storage::Durability& durability) {
  auto topic = topic_.lock();
  std::lock_guard lock(mu_);
  if (retired_ || record_.state != format::SubscriptionState::confirmed) return {Inline::Take::not_subscribed, {}};
  // Behind, or busy: the log keeps the order (and FIFO's one batch at a time).
  if (!topic || messages.empty() || !writes_through_locked() || !inflight_.empty() || batches_inflight_ > 0 ||
      next_ != messages.front()->seq)
    return {Inline::Take::from_log, {}};
  std::vector<PublishedPtr> pass;
  std::vector<FilterOutcome> refused;
  for (const auto& m : messages) {
    const FilterOutcome outcome = filter_locked(*m);
    if (outcome == FilterOutcome::match) pass.push_back(m);
    else refused.push_back(outcome);
  }
  std::vector<Attempt> attempts;
  std::function<void(bool)> queue_committed;
  if (!pass.empty()) {
    auto staged =
        context_.queues->stage(endpoint_, queue_deliveries(target_locked(*topic), pass, context_), store_, commit);
    // The queue is gone (the log path fails the messages, into the DLQ) or is in another store.
    if (!staged) return {Inline::Take::from_log, {}};
    if (staged->durability == storage::Durability::sync) durability = storage::Durability::sync;
    for (const auto& st : staged->statuses) attempts.push_back(attempt_of_queue_status(st));
    queue_committed = std::move(staged->committed);
  }
  for (FilterOutcome outcome : refused) count_filtered(outcome);
  const bool keep_log = std::any_of(attempts.begin(), attempts.end(),
                                    [](const Attempt& a) { return a.outcome != Attempt::Outcome::delivered; });
  next_ = messages.back()->seq + 1;
  auto self = shared_from_this();
  if (pass.empty()) {
    cursor_ = next_;
    return {Inline::Take::taken, [self](bool) {
              std::lock_guard done_lock(self->mu_);
              self->persist_cursor_locked();
            }};
  }
  for (const auto& m : pass) inflight_.emplace(m->seq, Inflight{m, 0});
  batches_inflight_++;
  return {Inline::Take::taken,
          [self, pass = std::move(pass), attempts = std::move(attempts),
           queue_committed = std::move(queue_committed)](bool ok) mutable {
            queue_committed(ok);
            if (ok) return self->on_attempts(pass, std::move(attempts));
            // The publish failed, so these messages never were: nothing to deliver or dead-letter.
            {
              std::lock_guard done_lock(self->mu_);
              self->batches_inflight_--;
            }
            for (const auto& m : pass) self->finish(m->seq);
          },
          keep_log};
}

// Fills the window: the next messages the filter lets through, in batches the
// deliverer takes. Messages the filter refuses are done at once.
void Subscription::pump() {
  auto topic = topic_.lock();
  for (;;) {
    std::vector<PublishedPtr> batch;
    {
      std::lock_guard lock(mu_);
      const size_t window = topic && topic->fifo() ? 1 : deliverer_->window();
      if (!topic || retired_ || batches_inflight_ >= window) {
        if (!repump_) {
          pumping_ = false;
          return;
        }
        repump_ = false;
        continue;
      }
      // Throttle (HTTP/S): at most maxReceivesPerSecond deliveries started per second.
      std::optional<int> rate;
      if (is_http(protocol_))
        rate = effective_delivery_policy(topic->delivery_policy(), settings_.delivery_policy).max_receives_per_second;
      const TimeMs now = context_.clock->now();
      if (now / 1000 != throttle_second_) throttle_second_ = now / 1000, throttle_count_ = 0;
      while (batch.size() < deliverer_->batch_size() && (!rate || throttle_count_ < *rate)) {
        PublishedPtr m = topic->next(next_);
        if (!m) break;
        next_ = m->seq + 1;
        const FilterOutcome outcome = filter_locked(*m);
        if (outcome != FilterOutcome::match) {
          count_filtered(outcome);
          if (inflight_.empty()) cursor_ = next_;
          continue;
        }
        inflight_.emplace(m->seq, Inflight{m, 0});
        batch.push_back(std::move(m));
        throttle_count_++;
      }
      if (rate && throttle_count_ >= *rate && !throttle_timer_) {
        throttle_timer_ = true;
        context_.scheduler->schedule_at((now / 1000 + 1) * 1000, [self = shared_from_this()] {
          {
            std::lock_guard timer_lock(self->mu_);
            self->throttle_timer_ = false;
          }
          self->wake();
        });
      }
      if (batch.empty()) {
        persist_cursor_locked();
        if (!repump_) {
          pumping_ = false;
          return;
        }
        repump_ = false;
        continue;
      }
      batches_inflight_++;
    }
    dispatch(std::move(batch));
  }
}

void Subscription::dispatch(std::vector<PublishedPtr> batch) {
  auto topic = topic_.lock();
  if (!topic) return;
  Target target;
  {
    std::lock_guard lock(mu_);
    target = target_locked(*topic);
  }
  auto self = shared_from_this();
  deliverer_->deliver(target, batch,
                      [self, batch](std::vector<Attempt> attempts) { self->on_attempts(batch, std::move(attempts)); });
}

void Subscription::on_attempts(const std::vector<PublishedPtr>& batch, std::vector<Attempt> attempts) {
  auto topic = topic_.lock();
  {
    std::lock_guard lock(mu_);
    batches_inflight_--;
    if (retired_) return;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    const Attempt a = i < attempts.size() ? attempts[i] : Attempt{Attempt::Outcome::retry, "InternalError", "lost"};
    const auto& m = batch[i];
    if (a.outcome == Attempt::Outcome::delivered) {
      probe_.delivered++;
      finish(m->seq);
      continue;
    }
    if (a.outcome == Attempt::Outcome::retry && topic) {
      int attempts_so_far = 0;
      RetryPolicy policy = managed_retry_policy();
      {
        std::lock_guard lock(mu_);
        auto it = inflight_.find(m->seq);
        if (it == inflight_.end()) continue;
        attempts_so_far = it->second.attempts++;
        if (is_http(protocol_))
          policy = effective_delivery_policy(topic->delivery_policy(), settings_.delivery_policy).retry;
      }
      if (auto delay = policy.delay_before(attempts_so_far)) {
        probe_.retries++;
        retry_later(m, *delay);
        continue;
      }
    }
    give_up(m, a);
  }
  wake();
}

void Subscription::retry_later(const PublishedPtr& message, int delay_seconds) {
  auto self = shared_from_this();
  auto again = [self, message] {
    {
      std::lock_guard lock(self->mu_);
      if (self->retired_ || !self->inflight_.count(message->seq)) return;
      self->batches_inflight_++;
    }
    self->dispatch({message});
  };
  if (delay_seconds == 0) context_.scheduler->post(std::move(again));
  else context_.scheduler->schedule_at(context_.clock->now() + int64_t(delay_seconds) * 1000, std::move(again));
}

// The policy is spent (or the failure is the client's): to the dead-letter queue, else dropped.
void Subscription::give_up(const PublishedPtr& message, const Attempt& attempt) {
  std::string dlq;
  Target target;
  {
    std::lock_guard lock(mu_);
    dlq = settings_.dead_letter_arn;
    if (auto topic = topic_.lock()) target = target_locked(*topic);
  }
  probe_.failed++;
  if (dlq.empty() || !context_.queues) return finish(message->seq);
  QueueDelivery d;
  d.body = target.raw ? message->message_for(protocol_) : notification_envelope(*message, target, context_);
  d.attributes["ErrorCode"] = {"String", attempt.error_code.empty() ? "DeliveryFailed" : attempt.error_code};
  d.attributes["ErrorMessage"] = {"String", attempt.error_message.empty() ? "delivery failed" : attempt.error_message};
  d.attributes["RequestID"] = {"String", uuid4()};
  d.attributes["TopicArn"] = {"String", topic_arn_};
  d.group_id = message->entry.group_id;
  d.deduplication_id = message->entry.deduplication_id;
  auto self = shared_from_this();
  context_.queues->deliver(dlq, {std::move(d)}, [self, seq = message->seq](std::vector<Status<Error>> s) {
    // A dead-letter queue that is gone or refuses: the message is dropped, as SNS drops it.
    if (!s.empty() && s.front().ok()) self->probe_.dead_lettered++;
    self->finish(seq);
  });
}

void Subscription::finish(Seq seq) {
  std::lock_guard lock(mu_);
  inflight_.erase(seq);
  const Seq cursor = inflight_.empty() ? next_ : inflight_.begin()->first;
  if (cursor > cursor_) cursor_ = cursor;
  persist_cursor_locked();
}

// Writes the cursor without waiting (periodic durability); one write at a time,
// the last value wins. A crash may forget the last advances: those messages are
// delivered again. A failed write is tried again a second later, not at once:
// a store that refuses writes must not be spun on.
void Subscription::persist_cursor_locked() {
  if (cursor_write_pending_ || cursor_ == persisted_cursor_ || retired_) return;
  cursor_write_pending_ = true;
  const Seq value = cursor_;
  storage::WriteBatch b;
  b.put(format::cursor_key(uid_), format::encode_cursor(value));
  auto self = shared_from_this();
  context_.scheduler->post([self, value, b = std::move(b)]() mutable {
    self->store_.commit(std::move(b), storage::Durability::periodic, [self, value](bool ok) {
      if (!ok) {
        self->context_.scheduler->schedule_at(self->context_.clock->now() + 1000, [self] {
          std::lock_guard lock(self->mu_);
          self->cursor_write_pending_ = false;
          self->persist_cursor_locked();
        });
        return;
      }
      std::lock_guard lock(self->mu_);
      self->cursor_write_pending_ = false;
      self->persisted_cursor_ = value;
      self->persist_cursor_locked();
    });
  });
}

void Subscription::replay_from(TimeMs from_ms) {
  auto topic = topic_.lock();
  if (!topic) return;
  auto first = topic->first_archived_after(from_ms);
  {
    std::lock_guard lock(mu_);
    // The cursor goes back; the log reads the archive from the store until it meets memory.
    if (first && first->seq < next_) {
      next_ = first->seq;
      cursor_ = std::min(cursor_, next_);
    }
    replay_status_ = "Completed";
  }
  wake();
}

void Subscription::send_confirmation_request() {
  auto topic = topic_.lock();
  if (!topic || !context_.http || !is_http(protocol_)) return;
  std::string token;
  {
    std::lock_guard lock(mu_);
    token = record_.token;
  }
  const std::string id = uuid4();
  HttpClientRequest r;
  r.url = endpoint_;
  r.timeout = std::chrono::milliseconds(15000);
  r.body = confirmation_envelope("SubscriptionConfirmation", id, token, topic_arn_, context_.clock->now(),
                                 topic->signature_version(), context_);
  r.headers = {{"Content-Type", "text/plain; charset=UTF-8"},
               {"User-Agent", "Amazon Simple Notification Service Agent"},
               {"x-amz-sns-message-type", "SubscriptionConfirmation"},
               {"x-amz-sns-message-id", id},
               {"x-amz-sns-topic-arn", topic_arn_}};
  // Retried as the endpoint's deliveries would be, until confirmed or the policy is spent.
  auto self = shared_from_this();
  auto attempt = std::make_shared<int>(0);
  auto send = std::make_shared<std::function<void()>>();
  *send = [self, r, attempt, send] {
    self->context_.http->send(r, [self, attempt, send](HttpClientReply reply) {
      auto stop = [&] { *send = nullptr; };  // the function held itself; this lets it go
      if (reply.status >= 200 && reply.status < 500) return stop();
      auto t = self->topic_.lock();
      {
        std::lock_guard lock(self->mu_);
        if (!t || self->retired_ || self->record_.state == format::SubscriptionState::confirmed) return stop();
      }
      auto policy = effective_delivery_policy(t->delivery_policy(), self->settings().delivery_policy).retry;
      auto delay = policy.delay_before((*attempt)++);
      if (!delay) return stop();
      self->context_.scheduler->schedule_at(self->context_.clock->now() + int64_t(*delay) * 1000, [send] {
        if (*send) (*send)();
      });
    });
  };
  (*send)();
}

void Subscription::send_unsubscribe_confirmation() {
  auto topic = topic_.lock();
  if (!topic || !context_.http || !is_http(protocol_) || !confirmed()) return;
  const std::string id = uuid4(), token = random_token();
  HttpClientRequest r;
  r.url = endpoint_;
  r.body = confirmation_envelope("UnsubscribeConfirmation", id, token, topic_arn_, context_.clock->now(),
                                 topic->signature_version(), context_);
  r.headers = {{"Content-Type", "text/plain; charset=UTF-8"},
               {"User-Agent", "Amazon Simple Notification Service Agent"},
               {"x-amz-sns-message-type", "UnsubscribeConfirmation"},
               {"x-amz-sns-message-id", id},
               {"x-amz-sns-topic-arn", topic_arn_},
               {"x-amz-sns-subscription-arn", arn_}};
  context_.http->send(std::move(r), [](HttpClientReply) {});
}

}  // namespace sluice::topic
