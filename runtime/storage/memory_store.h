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
  ReadResult get(std::string_view key) override;
  std::vector<ReadResult> multi_get(const std::vector<std::string>& keys) override;
  bool scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& fn) override;
  bool scan_range(std::string_view from, std::string_view to,
                  const std::function<bool(std::string_view, std::string_view)>& fn) override;
  ReadResult first_key(std::string_view from, std::string_view to) override;
  ReadResult last_key(std::string_view from, std::string_view to) override;
  void flush() override {}

  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> data_;
};

}  // namespace sluice::storage
