#pragma once
// A MemoryStore whose reads and commits can be made to fail, for tests of what
// an engine does when the disk does (runtime/queue/tests). Failures are switched
// on and off by the test; nothing is random.

#include <atomic>

#include "runtime/storage/memory_store.h"

namespace sluice::storage::testing {

class FaultyStore final : public Store {
 public:
  std::atomic<bool> fail_reads{false};
  std::atomic<bool> fail_commits{false};

  void commit(WriteBatch batch, Durability durability, CommitCallback done) override {
    if (fail_commits) {
      if (done) done(false);
      return;
    }
    inner_.commit(std::move(batch), durability, std::move(done));
  }
  ReadResult get(std::string_view key) override { return fail_reads ? ReadResult::error() : inner_.get(key); }
  std::vector<ReadResult> multi_get(const std::vector<std::string>& keys) override {
    if (fail_reads) return std::vector<ReadResult>(keys.size(), ReadResult::error());
    return inner_.multi_get(keys);
  }
  bool scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& fn) override {
    return !fail_reads && inner_.scan(prefix, fn);
  }
  bool scan_range(std::string_view from, std::string_view to,
                  const std::function<bool(std::string_view, std::string_view)>& fn) override {
    return !fail_reads && inner_.scan_range(from, to, fn);
  }
  ReadResult first_key(std::string_view from, std::string_view to) override {
    return fail_reads ? ReadResult::error() : inner_.first_key(from, to);
  }
  ReadResult last_key(std::string_view from, std::string_view to) override {
    return fail_reads ? ReadResult::error() : inner_.last_key(from, to);
  }
  void flush() override {}

  MemoryStore& inner() { return inner_; }

 private:
  MemoryStore inner_;
};

}  // namespace sluice::storage::testing
