#pragma once
// A MemoryStore whose commits can be held back, as a slow disk holds an fsync:
// while the gate is closed, commits wait in order; open() applies them and runs
// their callbacks on the calling thread. For tests that check what may and may
// not wait for a commit.

#include <deque>
#include <mutex>

#include "runtime/storage/memory_store.h"

namespace sluice::storage::testing {

class GatedStore final : public Store {
 public:
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  // Applies every held commit, in order, and lets later ones through.
  void open() {
    std::deque<Held> held;
    {
      std::lock_guard lock(mu_);
      closed_ = false;
      held.swap(held_);
    }
    for (auto& h : held) inner_.commit(std::move(h.batch), h.durability, std::move(h.done));
  }
  size_t held() const {
    std::lock_guard lock(mu_);
    return held_.size();
  }

  void commit(WriteBatch batch, Durability durability, CommitCallback done) override {
    {
      std::lock_guard lock(mu_);
      if (closed_) {
        held_.push_back({std::move(batch), durability, std::move(done)});
        return;
      }
    }
    inner_.commit(std::move(batch), durability, std::move(done));
  }
  ReadResult get(std::string_view key) override { return inner_.get(key); }
  std::vector<ReadResult> multi_get(const std::vector<std::string>& keys) override { return inner_.multi_get(keys); }
  bool scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& fn) override {
    return inner_.scan(prefix, fn);
  }
  bool scan_range(std::string_view from, std::string_view to,
                  const std::function<bool(std::string_view, std::string_view)>& fn) override {
    return inner_.scan_range(from, to, fn);
  }
  ReadResult first_key(std::string_view from, std::string_view to) override { return inner_.first_key(from, to); }
  ReadResult last_key(std::string_view from, std::string_view to) override { return inner_.last_key(from, to); }
  void flush() override {}

  MemoryStore& inner() { return inner_; }

 private:
  struct Held {
    WriteBatch batch;
    Durability durability;
    CommitCallback done;
  };
  mutable std::mutex mu_;
  bool closed_ = false;
  std::deque<Held> held_;
  MemoryStore inner_;
};

}  // namespace sluice::storage::testing
