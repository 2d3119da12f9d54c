#include "sidecar/aws/params.h"

#include <climits>

namespace sluice::aws {

using json = nlohmann::json;

std::optional<int64_t> optional_int64(const json& input, const char* name) {
  auto it = input.find(name);
  if (it == input.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::optional<int> optional_int(const json& input, const char* name) {
  auto v = optional_int64(input, name);
  if (!v) return std::nullopt;
  if (*v > INT_MAX) return INT_MAX;
  if (*v < INT_MIN) return INT_MIN;
  return int(*v);
}

std::string string_or_empty(const json& input, const char* name) {
  auto it = input.find(name);
  return it == input.end() || !it->is_string() ? std::string() : it->get<std::string>();
}

std::optional<std::string> optional_string(const json& input, const char* name) {
  auto it = input.find(name);
  if (it == input.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::vector<std::string> string_list(const json& input, const char* name) {
  std::vector<std::string> out;
  auto it = input.find(name);
  if (it == input.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::vector<std::pair<std::string, std::string>> string_map(const json& input, const char* name) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = input.find(name);
  if (it == input.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) out.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

}  // namespace sluice::aws
