#include "runtime/stream/shard.h"

#include <cstdio>

namespace sluice::stream {

std::string shard_id(uint32_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "shardId-%012u", index);
  return buf;
}

std::optional<uint32_t> parse_shard_id(std::string_view id) {
  constexpr std::string_view kPrefix = "shardId-";
  if (id.size() != kPrefix.size() + 12 || id.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  uint64_t v = 0;
  for (char c : id.substr(kPrefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + uint64_t(c - '0');
  }
  if (v >= format::kNoShard) return std::nullopt;
  return uint32_t(v);
}

uint64_t Shard::add_watcher(std::function<void()> fn) {
  std::lock_guard lock(watchers_mu);
  const uint64_t id = next_watcher++;
  watchers.emplace_back(id, std::move(fn));
  return id;
}

void Shard::remove_watcher(uint64_t id) {
  std::lock_guard lock(watchers_mu);
  std::erase_if(watchers, [id](const auto& w) { return w.first == id; });
}

void Shard::notify() {
  std::vector<std::function<void()>> fns;
  {
    std::lock_guard lock(watchers_mu);
    if (watchers.empty()) return;
    for (const auto& [id, fn] : watchers) fns.push_back(fn);
  }
  for (auto& fn : fns) fn();
}

}  // namespace sluice::stream
