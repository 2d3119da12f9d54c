#include "runtime/stream/fan_out.h"

#include <algorithm>

#include "runtime/stream/sequence_number.h"

namespace sluice::stream {
namespace {

constexpr TimeMs kTickMs = 1'000;
constexpr TimeMs kBackoffMs = 10;  // while the client's backlog is full

}  // namespace

Subscription::Subscription(FanOut& fan_out, StreamPtr stream, std::string consumer_arn, ShardIterator from)
    : fan_out_(fan_out),
      clock_(fan_out.clock_),
      scheduler_(fan_out.scheduler_),
      stream_(std::move(stream)),
      consumer_arn_(std::move(consumer_arn)),
      started_ms_(clock_.now()),
      position_(from) {}

void Subscription::start(std::shared_ptr<Subscriber> sink) {
  {
    std::lock_guard lock(mu_);
    if (ended_.load()) {
      sink->end(std::nullopt);
      return;
    }
    sink_ = std::move(sink);
    shard_ = stream_->shard(position_.shard);
    if (shard_) {
      std::weak_ptr<Subscription> weak = weak_from_this();
      watcher_ = shard_->add_watcher([weak] {
        if (auto s = weak.lock()) s->kick();
      });
    }
  }
  kick();
}

// No lock: the shard's watcher calls it on the store's committing thread, which
// must never wait for a pump.
void Subscription::kick() {
  if (ended_.load() || pump_pending_.exchange(true)) return;
  scheduler_.post([self = shared_from_this()] { self->pump(); });
}

void Subscription::tick() {
  std::lock_guard lock(mu_);
  if (ended_.load()) return;
  std::weak_ptr<Subscription> weak = weak_from_this();
  timer_ = scheduler_.schedule_at(clock_.now() + kTickMs, [weak] {
    if (auto s = weak.lock()) {
      s->kick();
      s->tick();
    }
  });
}

void Subscription::pump() {
  std::unique_lock lock(mu_);
  pump_pending_.store(false);
  if (ended_.load()) return;
  const TimeMs now = clock_.now();
  if (now - started_ms_ >= kSubscriptionLifetimeMs) return end_locked(std::nullopt, true);
  if (!sink_) return;
  if (stream_->deleted())
    return end_locked(Error{errc::not_found, "StreamARN", "Stream " + stream_->key().name + " was deleted.", {}}, true);
  if (sink_->backlog() > kMaxBacklogBytes) {
    std::weak_ptr<Subscription> weak = weak_from_this();
    scheduler_.schedule_at(now + kBackoffMs, [weak] {
      if (auto s = weak.lock()) s->kick();
    });
    return;
  }
  auto r = stream_->read_for_push(position_, kMaxEventRecords, kMaxEventBytes);
  if (!r.ok()) return end_locked(r.error(), true);
  const bool closed = !r->next_iterator;
  if (r->records.empty() && !closed && pushed_ && now - last_push_ms_ < kHeartbeatMs) return;
  position_.position = r->next_position;
  PushEvent event;
  event.records = std::move(r->records);
  event.millis_behind = r->millis_behind;
  if (closed) event.children = std::move(r->children);
  // Everything before the next position was pushed: resume after the one before it.
  else event.continuation = format_sequence(position_.position - 1, position_.shard);
  pushed_ = true;
  last_push_ms_ = now;
  if (!sink_->push(event)) return end_locked(std::nullopt, false);
  if (closed) return end_locked(std::nullopt, true);
  if (!r->caught_up) {
    lock.unlock();
    kick();
  }
}

void Subscription::cancel() {
  std::lock_guard lock(mu_);
  end_locked(std::nullopt, false);
}

void Subscription::end(const std::optional<Error>& error) {
  std::lock_guard lock(mu_);
  end_locked(error, true);
}

void Subscription::end_locked(const std::optional<Error>& error, bool tell_sink) {
  if (ended_.exchange(true)) return;
  if (shard_ && watcher_) shard_->remove_watcher(watcher_);
  scheduler_.cancel(timer_);
  fan_out_.forget(*this);
  if (sink_ && tell_sink) sink_->end(error);
  sink_.reset();
}

Result<std::shared_ptr<Subscription>, Error> FanOut::subscribe(const StreamPtr& stream, const std::string& consumer_arn,
                                                               const ShardIterator& from) {
  auto sub = std::make_shared<Subscription>(*this, stream, consumer_arn, from);
  const TimeMs now = sub->started_ms();
  std::shared_ptr<Subscription> replaced;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return fail(errc::state_conflict, "ConsumerARN", "The server is stopping.");
    std::erase_if(slots_,
                  [now](const auto& kv) { return !kv.second.open && now - kv.second.started_ms >= kTakeoverAfterMs; });
    auto& slot = slots_[{consumer_arn, from.shard}];
    if (slot.started_ms && now - slot.started_ms < kTakeoverAfterMs)
      return fail(errc::state_conflict, "ConsumerARN",
                  "Another active subscription exists for consumer " + consumer_arn + " on shard " +
                      shard_id(from.shard) + ".");
    replaced = std::exchange(slot.open, sub);
    slot.started_ms = now;
  }
  // Outside mu_: ending takes the subscription's lock, then forget() takes ours.
  if (replaced)
    replaced->end(
        Error{errc::state_conflict,
              "ConsumerARN",
              "A newer subscription for consumer " + consumer_arn + " on shard " + shard_id(from.shard) + " took over.",
              {}});
  sub->tick();
  return sub;
}

void FanOut::forget(const Subscription& s) {
  std::lock_guard lock(mu_);
  for (auto it = slots_.lower_bound({s.consumer_arn(), 0}); it != slots_.end() && it->first.first == s.consumer_arn();
       ++it)
    if (it->second.open.get() == &s) {
      it->second.open.reset();
      return;
    }
}

void FanOut::end_where(const std::function<bool(const Subscription&)>& match, const Error& error) {
  std::vector<std::shared_ptr<Subscription>> matched;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, slot] : slots_)
      if (slot.open && match(*slot.open)) matched.push_back(slot.open);
  }
  for (auto& s : matched) s->end(error);
}

void FanOut::stop() {
  std::vector<std::shared_ptr<Subscription>> all;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (const auto& [key, slot] : slots_)
      if (slot.open) all.push_back(slot.open);
  }
  for (auto& s : all) s->end(std::nullopt);
}

size_t FanOut::active() const {
  std::lock_guard lock(mu_);
  return size_t(std::count_if(slots_.begin(), slots_.end(), [](const auto& kv) { return kv.second.open != nullptr; }));
}

}  // namespace sluice::stream
