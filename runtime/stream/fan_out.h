#pragma once
// Enhanced fan-out: SubscribeToShard's push of one shard's records to one
// registered consumer, for at most 5 minutes. A subscription reads from its
// position whenever the shard's visible mark moves (a Shard watcher) and hands
// each batch to the front end's Subscriber as one event; with nothing new it
// still sends an empty event every 5 seconds, so the client knows the
// subscription is alive and can checkpoint ContinuationSequenceNumber. A shard
// that closes ends its subscriptions after the event that carries ChildShards.
//
// Backpressure: a batch is read only while the subscriber's backlog (bytes
// handed over and not yet sent) is under a bound, so a slow client costs a
// bounded buffer, never memory that grows with the stream.
//
// One subscription per consumer and shard: a second within 5 seconds of the
// first's start is refused (ResourceInUseException), whether or not the first
// is still open; a later one takes over, and the first ends with that error,
// as on AWS.
//
// Threading: events are read and pushed on Scheduler workers, one at a time
// per subscription; every public method may be called from any thread.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/error.h"
#include "runtime/common/scheduler.h"
#include "runtime/stream/stream.h"

namespace sluice::stream {

inline constexpr TimeMs kSubscriptionLifetimeMs = 5 * 60 * 1000;
inline constexpr TimeMs kHeartbeatMs = 5'000;
inline constexpr TimeMs kTakeoverAfterMs = 5'000;
inline constexpr size_t kMaxEventRecords = 10'000;
inline constexpr size_t kMaxEventBytes = size_t(1) << 20;
inline constexpr size_t kMaxBacklogBytes = size_t(4) << 20;

struct PushEvent {
  std::vector<ReadRecord> records;
  // The position to resubscribe AFTER_SEQUENCE_NUMBER; nullopt once the shard
  // has closed and every record was pushed (then `children` says where to go).
  std::optional<std::string> continuation;
  int64_t millis_behind = 0;
  std::vector<ChildShard> children;
};

// The front end's side of a subscription (an event stream on an HTTP response).
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // False when the client has gone: the subscription ends.
  virtual bool push(const PushEvent& event) = 0;
  // Bytes pushed and not yet sent to the client.
  virtual size_t backlog() const = 0;
  // The last call: the subscription's lifetime is over or the shard ended
  // (no error), or it failed (the stream went, another subscription took over).
  virtual void end(const std::optional<Error>& error) = 0;
};

class FanOut;

class Subscription : public std::enable_shared_from_this<Subscription> {
 public:
  Subscription(FanOut& fan_out, StreamPtr stream, std::string consumer_arn, ShardIterator from);

  // Begins pushing to `sink`; the first event goes out at once. Until then the
  // subscription only ages (one never started ends with its lifetime).
  void start(std::shared_ptr<Subscriber> sink);
  // The client went away: ends without telling the sink.
  void cancel();
  // Ends now, with `error` told to the sink.
  void end(const std::optional<Error>& error);
  bool ended() const { return ended_.load(); }
  const std::string& consumer_arn() const { return consumer_arn_; }
  TimeMs started_ms() const { return started_ms_; }

 private:
  friend class FanOut;
  void kick();  // a pump soon, unless one is already coming
  void pump();
  void tick();  // the heartbeat and lifetime timer, every second
  void end_locked(const std::optional<Error>& error, bool tell_sink);

  FanOut& fan_out_;  // only until the subscription ends: FanOut::stop() ends them all
  Clock& clock_;
  Scheduler& scheduler_;
  const StreamPtr stream_;
  const std::string consumer_arn_;
  const TimeMs started_ms_;
  std::atomic<bool> pump_pending_{false};
  std::atomic<bool> ended_{false};  // read without mu_ by the shard's watcher

  mutable std::mutex mu_;
  std::shared_ptr<Subscriber> sink_;
  std::shared_ptr<Shard> shard_;
  ShardIterator position_;
  uint64_t watcher_ = 0;
  TimerId timer_ = 0;
  TimeMs last_push_ms_ = 0;
  bool pushed_ = false;
};

class FanOut {
 public:
  FanOut(Clock& clock, Scheduler& scheduler) : clock_(clock), scheduler_(scheduler) {}
  ~FanOut() { stop(); }

  // A subscription of `consumer_arn` to the shard of `from`, registered and not
  // started (the front end answers the request, then starts it).
  Result<std::shared_ptr<Subscription>, Error> subscribe(const StreamPtr& stream, const std::string& consumer_arn,
                                                         const ShardIterator& from);
  // Ends every subscription of the consumers for which `match` holds
  // (deregistered consumers, deleted streams) with `error`.
  void end_where(const std::function<bool(const Subscription&)>& match, const Error& error);
  // Ends every subscription (shutdown) and refuses new ones.
  void stop();
  size_t active() const;

 private:
  friend class Subscription;
  void forget(const Subscription& s);

  Clock& clock_;
  Scheduler& scheduler_;
  struct Slot {
    std::shared_ptr<Subscription> open;  // null once it ended
    TimeMs started_ms = 0;               // of the last subscription accepted
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, uint32_t>, Slot> slots_;  // by consumer and shard
  bool stopped_ = false;
};

}  // namespace sluice::stream
