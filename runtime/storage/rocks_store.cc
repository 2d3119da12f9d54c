#include "runtime/storage/rocks_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <pthread.h>

#include <algorithm>
#include <chrono>

namespace sluice::storage {

std::unique_ptr<RocksStore> RocksStore::open(const RocksOptions& options, std::string* error) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.write_buffer_size = options.write_buffer_bytes;
  db_options.max_write_buffer_number = 2;
  db_options.max_background_jobs = 2;
  // Messages are short-lived: cheap LZ4 everywhere, no zstd burning CPU in compactions.
  db_options.compression = rocksdb::kLZ4Compression;
  // Recover everything that reached the log; a torn last record is dropped.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db_options.paranoid_checks = true;
  // Flushes and compactions yield the CPU to the commit thread and the request
  // threads, which clients wait on; RocksDB's own write stalls bound how far the
  // background may fall behind. (With 16 queues filling at once on 2 cores this
  // is the difference between 4,300 and 5,500 fanned-out publishes a second.)
  db_options.env->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW);
  db_options.env->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::HIGH);

  // A receive Gets message bodies that have mostly left the memtable for the
  // tables: a memtable Bloom filter answers "not here" without a skip-list search.
  db_options.memtable_prefix_bloom_size_ratio = 0.02;
  db_options.memtable_whole_key_filtering = true;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  // Index and filter blocks stay in memory beside each open table (~1.5% of the
  // data) rather than competing with message blocks in the cache: a drain that
  // evicted them re-read and re-decompressed a whole index for every Get (3,800
  // msg/s instead of 47,000 with another 200,000-message queue on disk).
  table.cache_index_and_filter_blocks = false;
  table.enable_index_compression = false;
  // A receive Gets keys that exist; the filter spares the L0 files that lack them.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  db_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(db_options, options.path, &raw);
  if (!s.ok()) {
    if (error) *error = s.ToString();
    return nullptr;
  }
  return std::unique_ptr<RocksStore>(new RocksStore(std::unique_ptr<rocksdb::DB>(raw), options));
}

RocksStore::RocksStore(std::unique_ptr<rocksdb::DB> db, const RocksOptions& options)
    : db_(std::move(db)), options_(options), syncer_([this] { sync_loop(); }), committer_([this] { write_loop(); }) {}

RocksStore::~RocksStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  committer_.join();  // writes what is queued, then tells the sync thread it is done
  syncer_.join();     // fsyncs it and runs the last callbacks
  db_->Close();
}

void RocksStore::commit(WriteBatch batch, Durability durability, CommitCallback done) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back({std::move(batch), durability, std::move(done)});
    ++stats_.commits;
  }
  cv_.notify_one();
}

// One RocksDB batch of every pending commit, in commit order, except that the
// point writes between two range deletions go in key order: the memtable's
// skip list then finds each insert next to the last one instead of searching
// from the top (a third of this thread's time with 16 queues filling at once).
// The sort is stable, so two writes of one key keep their order, and a range
// deletion stays between what came before it and what came after.
rocksdb::WriteBatch RocksStore::merge(const std::vector<Pending>& work) {
  size_t bytes = 0;
  std::vector<const WriteBatch::Op*> ops;
  for (const auto& p : work) {
    bytes += p.batch.bytes();
    for (const auto& op : p.batch.ops()) ops.push_back(&op);
  }
  auto is_range = [](const WriteBatch::Op* op) { return op->kind == WriteBatch::Kind::del_range; };
  for (auto begin = ops.begin(); begin != ops.end();) {
    auto end = std::find_if(begin, ops.end(), is_range);
    std::stable_sort(begin, end, [](const WriteBatch::Op* a, const WriteBatch::Op* b) { return a->key < b->key; });
    begin = end == ops.end() ? end : end + 1;
  }
  // Room for every key and value and each record's few bytes of framing, so
  // the batch is not regrown (and copied) as it fills.
  rocksdb::WriteBatch merged(bytes + ops.size() * 16 + 12);
  for (const WriteBatch::Op* op : ops) {
    switch (op->kind) {
      case WriteBatch::Kind::put:
        merged.Put(op->key, op->value);
        break;
      case WriteBatch::Kind::del:
        merged.Delete(op->key);
        break;
      case WriteBatch::Kind::del_range:
        merged.DeleteRange(op->key, op->value);
        break;
    }
  }
  return merged;
}

void RocksStore::write_loop() {
  pthread_setname_np(pthread_self(), "sluice-commit");  // for top -H, perf and gdb
  // No per-operation perf counters: they cost a thread-local lookup per key.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  for (;;) {
    Written w;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        writer_done_ = true;
        break;
      }
      w.commits.swap(queue_);
    }
    for (const auto& p : w.commits) w.needs_sync |= p.durability == Durability::sync;
    rocksdb::WriteBatch merged = merge(w.commits);
    w.ok = db_->Write(rocksdb::WriteOptions(), &merged).ok();  // to the log, fsynced by the sync thread
    {
      std::lock_guard lock(mu_);
      ++stats_.writes;
      written_.push_back(std::move(w));
    }
    synced_cv_.notify_one();
  }
  synced_cv_.notify_one();
}

void RocksStore::sync_loop() {
  pthread_setname_np(pthread_self(), "sluice-sync");
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::milliseconds(options_.periodic_sync_ms);
  auto last_sync = Clock::now();
  bool unsynced = false;  // periodic writes the log holds but has not fsynced
  std::vector<Written> batch;
  for (;;) {
    bool done;
    {
      std::unique_lock lock(mu_);
      synced_cv_.wait_for(lock, interval, [&] { return writer_done_ || !written_.empty(); });
      batch.swap(written_);
      done = writer_done_ && batch.empty();
    }
    bool needs_sync = done && unsynced;  // closing: what periodic commits left unsynced
    for (const auto& w : batch) {
      needs_sync |= w.needs_sync;
      unsynced |= !w.needs_sync;
    }
    if (!needs_sync && unsynced && Clock::now() - last_sync >= interval) needs_sync = true;
    bool synced = true;
    if (needs_sync) {
      // One fsync covers every write made so far, this batch's and any after it.
      synced = db_->SyncWAL().ok();
      unsynced = false;
      last_sync = Clock::now();
      std::lock_guard lock(mu_);
      ++stats_.syncs;
    }
    for (auto& w : batch)
      for (auto& p : w.commits)
        if (p.done) p.done(w.ok && (synced || p.durability != Durability::sync));
    batch.clear();
    if (done) return;
  }
}

ReadResult RocksStore::get(std::string_view key) {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return ReadResult::none();
  if (!s.ok()) return ReadResult::error();
  return ReadResult::of(std::move(value));
}

std::vector<ReadResult> RocksStore::multi_get(const std::vector<std::string>& keys) {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<std::string> values;
  auto statuses = db_->MultiGet(rocksdb::ReadOptions(), slices, &values);
  std::vector<ReadResult> out(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].ok()) {
      out[i] = ReadResult::of(std::move(values[i]));
    } else if (!statuses[i].IsNotFound()) {
      out[i] = ReadResult::error();
    }
  }
  return out;
}

bool RocksStore::scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& fn) {
  rocksdb::ReadOptions read_options;
  std::string upper = prefix_end(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    auto k = it->key();
    auto v = it->value();
    if (!fn(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()))) return true;
  }
  return it->status().ok();
}

bool RocksStore::scan_range(std::string_view from, std::string_view to,
                            const std::function<bool(std::string_view, std::string_view)>& fn) {
  rocksdb::ReadOptions read_options;
  rocksdb::Slice upper(to.data(), to.size());
  read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  for (it->Seek(rocksdb::Slice(from.data(), from.size())); it->Valid(); it->Next()) {
    auto k = it->key();
    auto v = it->value();
    if (!fn(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()))) return true;
  }
  return it->status().ok();
}

ReadResult RocksStore::last_key(std::string_view from, std::string_view to) {
  rocksdb::ReadOptions read_options;
  rocksdb::Slice lower(from.data(), from.size());
  rocksdb::Slice upper(to.data(), to.size());
  read_options.iterate_lower_bound = &lower;
  read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  it->SeekToLast();
  if (it->Valid()) return ReadResult::of(it->key().ToString());
  return it->status().ok() ? ReadResult::none() : ReadResult::error();
}

ReadResult RocksStore::first_key(std::string_view from, std::string_view to) {
  rocksdb::ReadOptions read_options;
  rocksdb::Slice upper(to.data(), to.size());
  if (!to.empty()) read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options));
  it->Seek(rocksdb::Slice(from.data(), from.size()));
  if (it->Valid()) return ReadResult::of(it->key().ToString());
  return it->status().ok() ? ReadResult::none() : ReadResult::error();
}

void RocksStore::flush() {
  // An empty commit returns once everything queued before it is written.
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  commit(WriteBatch{}, Durability::periodic, [&](bool) {
    std::lock_guard lock(m);
    done = true;
    cv.notify_one();
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return done; });
  }
  db_->SyncWAL();
}

RocksStore::Stats RocksStore::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace sluice::storage
