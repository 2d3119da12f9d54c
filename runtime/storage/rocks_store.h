#pragma once
// The durable Store: RocksDB (write-ahead log with checksums, LSM tree) with one
// committer thread that merges every batch waiting at that moment into a single
// write, so that concurrent requests share one fsync (group commit).
//
// Lifecycle: open() recovers the database (RocksDB replays its log); the
// destructor writes out what is queued, fsyncs and closes.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/storage/store.h"

namespace rocksdb {
class DB;
}

namespace sluice::storage {

struct RocksOptions {
  std::string path;
  // How often the log is fsynced when only `periodic` commits were written.
  int periodic_sync_ms = 200;
  size_t block_cache_bytes = size_t(32) << 20;
  size_t write_buffer_bytes = size_t(32) << 20;
};

class RocksStore final : public Store {
 public:
  // Opens or creates the database; on failure returns null and sets *error.
  static std::unique_ptr<RocksStore> open(const RocksOptions& options, std::string* error);
  ~RocksStore() override;

  void commit(WriteBatch batch, Durability durability, CommitCallback done) override;
  ReadResult get(std::string_view key) override;
  std::vector<ReadResult> multi_get(const std::vector<std::string>& keys) override;
  bool scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& fn) override;
  ReadResult first_key(std::string_view from, std::string_view to) override;
  void flush() override;

  // Group-commit statistics, for metrics and benchmarks.
  struct Stats {
    uint64_t commits = 0;  // batches handed to commit()
    uint64_t writes = 0;   // RocksDB writes they were merged into
    uint64_t syncs = 0;    // fsyncs
  };
  Stats stats() const;

 private:
  struct Pending {
    WriteBatch batch;
    Durability durability;
    CommitCallback done;
  };

  RocksStore(std::unique_ptr<rocksdb::DB> db, const RocksOptions& options);
  void run();

  std::unique_ptr<rocksdb::DB> db_;
  RocksOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread committer_;
};

}  // namespace sluice::storage
