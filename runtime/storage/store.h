#pragma once
// The embedded store behind every engine: an ordered key-value map with atomic
// batches. Engines build a WriteBatch, commit it, and act on the commit callback;
// they never see RocksDB. Key layouts are documented in LAYOUT.md.
//
// Durability is chosen per commit:
//   sync      the batch is in the write-ahead log and fsynced before `done` runs;
//             concurrent commits share one fsync (group commit).
//   periodic  the batch has reached the operating system before `done` runs (it
//             survives a crash of the process); the log is fsynced on an interval.
//   memory    nothing is written; used by stores that only live in memory.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/storage/durability.h"

namespace sluice::storage {

class WriteBatch {
 public:
  enum class Kind : uint8_t { put, del, del_range };
  struct Op {
    Kind kind;
    std::string key;
    std::string value;  // the value for put, the end key for del_range
  };

  void put(std::string key, std::string value) {
    bytes_ += key.size() + value.size();
    ops_.push_back({Kind::put, std::move(key), std::move(value)});
  }
  void del(std::string key) {
    bytes_ += key.size();
    ops_.push_back({Kind::del, std::move(key), {}});
  }
  // Deletes every key in [begin, end).
  void del_range(std::string begin, std::string end) {
    ops_.push_back({Kind::del_range, std::move(begin), std::move(end)});
  }
  void append(WriteBatch&& other) {
    for (auto& op : other.ops_) ops_.push_back(std::move(op));
    bytes_ += other.bytes_;
    other.ops_.clear();
    other.bytes_ = 0;
  }

  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }
  size_t bytes() const { return bytes_; }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
  size_t bytes_ = 0;
};

// Runs once a commit has reached the durability asked for; ok == false means the
// batch was not applied (I/O error) and nothing of it is visible.
using CommitCallback = std::function<void(bool ok)>;

// A read: the value, nothing under the key, or an I/O error, which callers must
// not mistake for "absent" (a message whose body cannot be read is not deleted).
struct ReadResult {
  enum class Outcome : uint8_t { found, absent, failed };
  Outcome outcome = Outcome::absent;
  std::string value;

  bool found() const { return outcome == Outcome::found; }
  bool failed() const { return outcome == Outcome::failed; }
  static ReadResult of(std::string v) { return {Outcome::found, std::move(v)}; }
  static ReadResult none() { return {Outcome::absent, {}}; }
  static ReadResult error() { return {Outcome::failed, {}}; }
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies `batch` atomically. Callbacks run in commit order, possibly on a
  // store-owned thread and possibly before commit() returns. Never call commit()
  // while holding a lock that a callback takes.
  virtual void commit(WriteBatch batch, Durability durability, CommitCallback done) = 0;

  virtual ReadResult get(std::string_view key) = 0;
  virtual std::vector<ReadResult> multi_get(const std::vector<std::string>& keys) = 0;

  // Calls fn for each key starting with `prefix`, in key order, until fn returns
  // false. Returns false if the scan stopped on an I/O error.
  virtual bool scan(std::string_view prefix,
                    const std::function<bool(std::string_view key, std::string_view value)>& fn) = 0;

  // Calls fn for each key in [from, to), in key order, until fn returns false
  // (a stream's records from a position on). Returns false on an I/O error.
  virtual bool scan_range(std::string_view from, std::string_view to,
                          const std::function<bool(std::string_view key, std::string_view value)>& fn) = 0;

  // The first key at or after `from` and before `to` (empty: no bound), found
  // with one seek: for walking a key space range by range.
  virtual ReadResult first_key(std::string_view from, std::string_view to) = 0;
  // The last key at or after `from` and before `to`, with one seek (a shard's
  // newest record at recovery).
  virtual ReadResult last_key(std::string_view from, std::string_view to) = 0;

  // Blocks until everything committed so far is fsynced.
  virtual void flush() = 0;
};

// The smallest key greater than every key that starts with `prefix`.
std::string prefix_end(std::string_view prefix);

}  // namespace sluice::storage
