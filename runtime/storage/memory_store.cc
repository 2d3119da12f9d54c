#include "runtime/storage/memory_store.h"

namespace sluice::storage {

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last != 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return end;  // empty: no upper bound
}

void MemoryStore::commit(WriteBatch batch, Durability, CommitCallback done) {
  {
    std::lock_guard lock(mu_);
    for (const auto& op : batch.ops()) {
      switch (op.kind) {
        case WriteBatch::Kind::put:
          data_.insert_or_assign(op.key, op.value);
          break;
        case WriteBatch::Kind::del:
          data_.erase(op.key);
          break;
        case WriteBatch::Kind::del_range:
          data_.erase(data_.lower_bound(op.key), op.value.empty() ? data_.end() : data_.lower_bound(op.value));
          break;
      }
    }
  }
  if (done) done(true);
}

ReadResult MemoryStore::get(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = data_.find(key);
  if (it == data_.end()) return ReadResult::none();
  return ReadResult::of(it->second);
}

std::vector<ReadResult> MemoryStore::multi_get(const std::vector<std::string>& keys) {
  std::vector<ReadResult> out;
  out.reserve(keys.size());
  std::lock_guard lock(mu_);
  for (const auto& k : keys) {
    auto it = data_.find(k);
    out.push_back(it == data_.end() ? ReadResult::none() : ReadResult::of(it->second));
  }
  return out;
}

bool MemoryStore::scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& fn) {
  // Copy the range first so that fn may call back into the store.
  std::vector<std::pair<std::string, std::string>> rows;
  {
    std::lock_guard lock(mu_);
    for (auto it = data_.lower_bound(prefix);
         it != data_.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix; ++it)
      rows.emplace_back(it->first, it->second);
  }
  for (const auto& [k, v] : rows)
    if (!fn(k, v)) break;
  return true;
}

bool MemoryStore::scan_range(std::string_view from, std::string_view to,
                             const std::function<bool(std::string_view, std::string_view)>& fn) {
  std::vector<std::pair<std::string, std::string>> rows;
  {
    std::lock_guard lock(mu_);
    for (auto it = data_.lower_bound(from); it != data_.end() && std::string_view(it->first) < to; ++it)
      rows.emplace_back(it->first, it->second);
  }
  for (const auto& [k, v] : rows)
    if (!fn(k, v)) break;
  return true;
}

ReadResult MemoryStore::last_key(std::string_view from, std::string_view to) {
  std::lock_guard lock(mu_);
  auto it = data_.lower_bound(to);
  if (it == data_.begin()) return ReadResult::none();
  --it;
  if (std::string_view(it->first) < from) return ReadResult::none();
  return ReadResult::of(it->first);
}

ReadResult MemoryStore::first_key(std::string_view from, std::string_view to) {
  std::lock_guard lock(mu_);
  auto it = data_.lower_bound(from);
  if (it == data_.end() || (!to.empty() && std::string_view(it->first) >= to)) return ReadResult::none();
  return ReadResult::of(it->first);
}

size_t MemoryStore::size() const {
  std::lock_guard lock(mu_);
  return data_.size();
}

}  // namespace sluice::storage
