#pragma once
// A Store that lives only in memory: used for memory-only queues and in tests.
// Commits apply inline, so their callbacks run before commit() returns.

#include <map>
#include <mutex>

#include "runtime/storage/store.h"

namespace sluice::storage {

class MemoryStore final : public Store {
 public:
  void commit(WriteBatch batch, Durability durability, CommitCallback done) override;
  std::optional<std::string> get(std::string_view key) override;
  std::vector<std::optional<std::string>> multi_get(const std::vector<std::string>& keys) override;
  void scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) override;
  void flush() override {}

  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> data_;
};

}  // namespace sluice::storage
