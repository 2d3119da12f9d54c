#include "runtime/common/arn.h"

#include "runtime/common/digest.h"

namespace sluice {

std::string Arn::str() const {
  return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
}

std::optional<Arn> parse_arn(std::string_view text) {
  std::string_view parts[5];
  for (auto& part : parts) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = text.substr(0, colon);
    text.remove_prefix(colon + 1);
  }
  if (parts[0] != "arn" || parts[1].empty() || parts[2].empty() || text.empty()) return std::nullopt;
  return Arn{std::string(parts[1]), std::string(parts[2]), std::string(parts[3]), std::string(parts[4]),
             std::string(text)};
}

bool is_account_id(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string account_for_namespace(std::string_view ns) {
  auto digest = sha256(ns);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | digest[i];
  std::string digits = std::to_string(v % 1'000'000'000'000ULL);
  return std::string(12 - digits.size(), '0') + digits;
}

}  // namespace sluice
