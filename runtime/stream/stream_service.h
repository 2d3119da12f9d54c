#pragma once
// StreamService: every Kinesis stream of every region and account, the
// control plane over them (create, delete, each change of changes.h, consumers),
// the sweep (retention by range deletions; the on-demand scaler) and recovery
// from the store at start-up.
//
// Control-plane changes run one at a time on a Sequencer and answer once the
// stream record is durable; the data plane (Stream::put/read) never waits for
// them.
//
// Threading: every public method may be called from any thread; callbacks may
// run on the caller's thread or the store's committer thread.

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/scheduler.h"
#include "runtime/common/sequencer.h"
#include "runtime/storage/store.h"
#include "runtime/stream/changes.h"
#include "runtime/stream/fan_out.h"
#include "runtime/stream/stream.h"

namespace sluice::stream {

struct StreamServiceOptions {
  storage::Durability durability = storage::Durability::sync;
  int64_t scale_interval_ms = 10'000;      // how often the on-demand scaler looks at traffic
  int64_t retention_interval_ms = 60'000;  // how often expired records are range-deleted
  uint32_t shard_limit = 20'000;           // open shards per region and account (DescribeLimits)
  uint32_t on_demand_stream_limit = 50;
  uint32_t on_demand_shards = 4;  // an ON_DEMAND stream's first shards
  uint32_t on_demand_max_shards = 1'024;
};

struct ConsumerView {
  std::string name;
  std::string arn;
  std::string stream_arn;
  TimeMs created_ms = 0;
};
std::string consumer_arn(const std::string& stream_arn, const format::ConsumerRecord& consumer);

struct CreateRequest {
  StreamKey key;
  changes::Settings settings;
  std::string resource;  // the Stream resource it comes from, if any
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty on the last page
};

using StreamCallback = std::function<void(Result<StreamPtr, Error>)>;
using StatusCallback = std::function<void(Status<Error>)>;

class StreamService {
 public:
  StreamService(StreamServiceOptions options, storage::Store& store, Clock& clock, Scheduler& scheduler);
  ~StreamService();

  struct Recovered {
    size_t streams = 0;
    size_t shards = 0;
  };
  Result<Recovered, Error> recover();

  void create_stream(CreateRequest request, StreamCallback done);
  // Create-or-update from a Stream resource: every setting at once.
  void apply_stream(CreateRequest request, StreamCallback done);
  Status<Error> check_apply(const CreateRequest& request) const;
  // Deletes the stream and its records; refused while it has consumers unless `with_consumers`.
  void delete_stream(const StreamPtr& stream, bool with_consumers, StatusCallback done);
  // One change of changes.h, in control-plane order.
  void update(const StreamPtr& stream, Change change, StatusCallback done);

  StreamPtr find(std::string_view arn) const;
  StreamPtr find_uid(uint64_t uid) const;
  StreamPtr find_resource(const std::string& region, const std::string& account, const std::string& name) const;
  std::vector<StreamPtr> all() const;
  std::vector<StreamPtr> in_account(const std::string& region, const std::string& account) const;
  size_t size() const;

  // The stream and position a shard iterator names, if it is the caller's and
  // younger than 5 minutes (ExpiredIteratorException after that).
  struct Position {
    StreamPtr stream;
    ShardIterator at;
  };
  Result<Position, Error> open_iterator(std::string_view token, const std::string& region,
                                        const std::string& account) const;

  std::optional<ConsumerView> consumer(std::string_view consumer_arn) const;
  std::optional<ConsumerView> consumer(const StreamPtr& stream, const std::string& name) const;
  std::vector<ConsumerView> consumers(const StreamPtr& stream) const;

  // SubscribeToShard: a subscription of the caller's consumer to one shard from
  // its starting position, registered and not yet started.
  Result<std::shared_ptr<Subscription>, Error> subscribe(const std::string& consumer_arn,
                                                         const IteratorRequest& request, const std::string& account);
  // Ends the subscriptions of a consumer that was deregistered.
  void end_subscriptions(const std::string& consumer_arn);
  size_t subscriptions() const { return fan_out_.active(); }

  struct Limits {
    uint32_t shard_limit = 0;
    size_t open_shards = 0;
    uint32_t on_demand_limit = 0;
    size_t on_demand_streams = 0;
  };
  Limits limits(const std::string& region, const std::string& account) const;

  // One sweep now (tests drive it with a ManualScheduler).
  void sweep();
  // Ends every subscription and stops the sweep (shutdown).
  void stop();

 private:
  void insert(CreateRequest request, StreamCallback done, Sequencer::Done next);
  Status<Error> check_capacity(const CreateRequest& request, const StreamPtr& existing) const;
  void expire_records(TimeMs now);
  void scale_on_demand();
  void schedule_sweep();

  StreamServiceOptions options_;
  storage::Store& store_;
  Clock& clock_;
  Scheduler& scheduler_;
  Sequencer control_;
  FanOut fan_out_;

  mutable std::shared_mutex mu_;
  std::map<std::string, StreamPtr, std::less<>> streams_;  // by ARN: ordered for listing
  std::unordered_map<uint64_t, StreamPtr> by_uid_;
  TimeMs last_retention_ms_ = 0;
  std::atomic<bool> stopped_{false};
  TimerId sweep_timer_ = 0;
};

}  // namespace sluice::stream
