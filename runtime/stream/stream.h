#pragma once
// One Kinesis stream: its settings and shards, the put path (route by hash key,
// number, commit in order), iterators and reads, and the changes of its shard
// table (split, merge, uniform rescaling) made in put order.
//
// Ordering: puts take `mu_`, give each record the next counter of its shard and
// issue their commit while still holding it, so commits reach the store in
// counter order; each commit's callback (no lock) advances the shard's
// `visible` mark, which is all a reader needs. A record is readable only once
// committed, and never before a record with a smaller counter of its shard.
// Changes of the stream record are made under `mu_` too, with the record's
// commit issued there, so a put routed by the new shard table always commits
// after the table it was routed by.
//
// Threading: every public method may be called from any thread.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/error.h"
#include "runtime/storage/durability.h"
#include "runtime/storage/store.h"
#include "runtime/stream/sequence_number.h"
#include "runtime/stream/shard.h"
#include "runtime/stream/shard_iterator.h"
#include "runtime/stream/stream_format.h"

namespace sluice::stream {

struct StreamKey {
  std::string region;
  std::string account;
  std::string name;
  std::string arn() const;
};

inline constexpr size_t kMaxGetRecords = 10'000;
inline constexpr size_t kMaxGetBytes = size_t(10) << 20;

struct PutEntry {
  std::string partition_key;
  std::string data;  // raw bytes
  std::optional<HashKey> explicit_hash;
  std::optional<SequenceNumber> after;  // SequenceNumberForOrdering
};

struct PutOutcome {
  enum class Code : uint8_t { ok, throttled, failed };
  Code code = Code::failed;
  uint32_t shard = 0;
  uint64_t counter = 0;
  bool encrypted = false;
};
using PutCallback = std::function<void(std::vector<PutOutcome>)>;

enum class IteratorType : uint8_t { trim_horizon, latest, at_sequence, after_sequence, at_timestamp };

struct IteratorRequest {
  std::string shard_id;
  IteratorType type = IteratorType::trim_horizon;
  std::string sequence;     // AT/AFTER_SEQUENCE_NUMBER
  TimeMs timestamp_ms = 0;  // AT_TIMESTAMP
};

struct ReadRecord {
  uint64_t counter = 0;
  uint32_t shard = 0;
  format::StoredRecord stored;
};

struct ChildShard {
  uint32_t index = 0;
  std::vector<uint32_t> parents;
  HashRange range;
};

struct Records {
  std::vector<ReadRecord> records;
  size_t bytes = 0;
  std::optional<std::string> next_iterator;  // nullopt at the end of a closed shard (read_for_push: "" otherwise)
  uint64_t next_position = 0;                // the first counter not yet read
  int64_t millis_behind = 0;
  std::vector<ChildShard> children;  // at the end of a closed shard
  bool caught_up = false;            // nothing newer is committed
};

// A consistent copy of the stream for Describe and List calls.
struct StreamView {
  StreamKey key;
  std::string arn;
  format::StreamRecord record;
  std::vector<format::ShardRecord> shards;  // by index, with every closed shard still retained
  size_t open_shards = 0;
};

using Change = std::function<Status<Error>(format::StreamRecord& record, TimeMs now)>;
using ChangeDone = std::function<void(Status<Error>)>;

class Stream : public std::enable_shared_from_this<Stream> {
 public:
  Stream(StreamKey key, format::StreamRecord record, storage::Store& store, storage::Durability durability,
         Clock& clock);

  const StreamKey& key() const { return key_; }
  const std::string& arn() const { return arn_; }
  uint64_t uid() const { return uid_; }
  bool deleted() const { return deleted_.load(); }
  void mark_deleted();

  // At recovery: each shard's last counter and newest arrival from the store.
  Status<Error> recover();

  // --- data plane -----------------------------------------------------------
  size_t max_record_bytes() const { return max_record_bytes_.load(); }
  void put(std::vector<PutEntry> entries, PutCallback done);
  // Where a request starts reading, and the same as a GetShardIterator token.
  Result<ShardIterator, Error> position(const IteratorRequest& request);
  Result<std::string, Error> iterator(const IteratorRequest& request);
  // GetRecords: the records after `from` (an iterator already decoded and
  // checked), throttled in fidelity mode and counted as GetRecords traffic.
  Result<Records, Error> read(const ShardIterator& from, size_t limit);
  // The same read for enhanced fan-out, which has its own throughput per
  // consumer: neither throttled nor counted as GetRecords.
  Result<Records, Error> read_for_push(const ShardIterator& from, size_t limit, size_t max_bytes);
  std::shared_ptr<Shard> shard(uint32_t index) const;
  std::vector<std::shared_ptr<Shard>> shards() const;  // by index

  // --- control plane (called by StreamService on its sequencer) -------------
  // Applies `change` to a copy of the record under mu_, makes the copy current
  // and commits it; `done` runs once it is durable. A change that fails leaves
  // nothing changed; a commit that fails restores the previous settings, but a
  // shard table already in use stays (puts routed by it commit after it, and
  // fail with it).
  void change(Change change, ChangeDone done);
  StreamView view() const;
  format::StreamRecord record() const;

  // --- retention and scaling (StreamService's sweep) ------------------------
  // Adds to `batch` the range deletions of records past retention; returns
  // whether a closed shard is now empty and can leave the shard table.
  bool expire(TimeMs now, storage::WriteBatch& batch);
  // Traffic per open shard since the last call, and resets it.
  struct ShardTraffic {
    uint32_t index;
    HashRange range;
    uint64_t bytes;
    uint64_t records;
  };
  std::vector<ShardTraffic> take_traffic();

  // Counters for metrics.
  struct Counters {
    std::atomic<uint64_t> incoming_bytes{0}, incoming_records{0};
    std::atomic<uint64_t> put_throttled{0}, read_throttled{0};
    std::atomic<uint64_t> get_records_bytes{0}, get_records_records{0}, get_records_calls{0};
    std::atomic<int64_t> iterator_age_ms{0};  // the last read's MillisBehindLatest
  };
  Counters& counters() { return counters_; }

 private:
  void install_locked(const format::StreamRecord& record);  // rebuilds shards_/open_ from the record
  std::shared_ptr<Shard> route_locked(HashKey hash) const;
  std::vector<ChildShard> children_of_locked(uint32_t index) const;
  // `token`: also encode next_iterator (GetRecords); a push needs only next_position.
  Result<Records, Error> collect(const std::shared_ptr<Shard>& s, const ShardIterator& from, size_t limit,
                                 size_t max_bytes, TimeMs now, bool token);

  const StreamKey key_;
  const std::string arn_;
  const uint64_t uid_;
  storage::Store& store_;
  const storage::Durability durability_;
  Clock& clock_;

  mutable std::mutex mu_;
  format::StreamRecord record_;
  std::vector<std::shared_ptr<Shard>> shards_;  // by index
  std::vector<std::shared_ptr<Shard>> open_;    // by range start: routing
  std::atomic<size_t> max_record_bytes_{size_t(1) << 20};
  std::atomic<bool> encrypted_{false};
  std::atomic<bool> fidelity_{false};
  std::atomic<bool> deleted_{false};
  Counters counters_;
};

using StreamPtr = std::shared_ptr<Stream>;

}  // namespace sluice::stream
