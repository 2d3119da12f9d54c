#include "runtime/topic/published.h"

#include <cstdio>

namespace sluice::topic {

size_t entry_bytes(const PublishEntry& e) {
  size_t n = e.message.size() + (e.subject ? e.subject->size() : 0);
  for (const auto& [name, a] : e.attributes) n += name.size() + a.data_type.size() + a.value.size();
  for (const auto& [protocol, m] : e.structured) n += protocol.size() + m.size();
  return n;
}

const std::string& Published::message_for(std::string_view protocol) const {
  if (!entry.structured.empty())
    if (auto it = entry.structured.find(std::string(protocol)); it != entry.structured.end()) return it->second;
  return entry.message;
}

std::string Published::memo(Memo which, const std::function<std::string()>& compute) const {
  std::lock_guard lock(memo_mu_);
  std::string& s = memos_[size_t(which)];
  if (s.empty()) s = compute();
  return s;
}

std::string sequence_number(Seq seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(seq));
  return buf;
}

}  // namespace sluice::topic
