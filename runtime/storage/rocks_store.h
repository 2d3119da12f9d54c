#pragma once
// The durable Store: RocksDB (write-ahead log with checksums, LSM tree) with a
// two-stage group commit. The commit thread merges every batch waiting at that
// moment into a single write; the sync thread fsyncs the log once for every
// write made since its last fsync and then runs their callbacks, in commit
// order. The two overlap: while one fsync runs, the next writes are made, so
// a commit waits for about one fsync, not for an fsync and a write queued
// behind another fsync.
//
// Nothing acts on a write before its callback: engines change what they show
// clients there, so data a crash could still lose is never reported. The log
// is a prefix: a later fsync makes every earlier write durable too.
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
class WriteBatch;
}  // namespace rocksdb

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
  bool scan_range(std::string_view from, std::string_view to,
                  const std::function<bool(std::string_view, std::string_view)>& fn) override;
  ReadResult first_key(std::string_view from, std::string_view to) override;
  ReadResult last_key(std::string_view from, std::string_view to) override;
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

  // One merged write, on its way to the sync thread.
  struct Written {
    std::vector<Pending> commits;
    bool ok = false;
    bool needs_sync = false;  // some commit asked for Durability::sync
  };

  RocksStore(std::unique_ptr<rocksdb::DB> db, const RocksOptions& options);
  void write_loop();
  void sync_loop();
  static rocksdb::WriteBatch merge(const std::vector<Pending>& work);

  std::unique_ptr<rocksdb::DB> db_;
  RocksOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;         // commit thread: queue_ or stopping_
  std::condition_variable synced_cv_;  // sync thread: written_ or writer_done_
  std::vector<Pending> queue_;
  std::vector<Written> written_;
  bool stopping_ = false;
  bool writer_done_ = false;
  Stats stats_;
  std::thread syncer_;
  std::thread committer_;
};

}  // namespace sluice::storage
