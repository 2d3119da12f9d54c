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

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::storage {

enum class Durability : uint8_t { memory, periodic, sync };

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

class Store {
 public:
  virtual ~Store() = default;

  // Applies `batch` atomically. Callbacks run in commit order, possibly on a
  // store-owned thread and possibly before commit() returns. Never call commit()
  // while holding a lock that a callback takes.
  virtual void commit(WriteBatch batch, Durability durability, CommitCallback done) = 0;

  virtual std::optional<std::string> get(std::string_view key) = 0;
  virtual std::vector<std::optional<std::string>> multi_get(const std::vector<std::string>& keys) = 0;

  // Calls fn for each key starting with `prefix`, in key order, until fn returns false.
  virtual void scan(std::string_view prefix,
                    const std::function<bool(std::string_view key, std::string_view value)>& fn) = 0;

  // Blocks until everything committed so far is fsynced.
  virtual void flush() = 0;
};

// The smallest key greater than every key that starts with `prefix`.
std::string prefix_end(std::string_view prefix);

}  // namespace sluice::storage
