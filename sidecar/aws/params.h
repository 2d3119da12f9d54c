#pragma once
// Reading a call's input tree (the model's member names): the few shapes every
// handler needs. The tree has been checked against the model's types already
// (JSON) or built from it (query), so these read what is there and default what
// is not.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::aws {

// An integer member, clamped to int: values far outside any API's range stay
// out of range, so the engine's range check reports them as given.
std::optional<int> optional_int(const nlohmann::json& input, const char* name);
std::optional<int64_t> optional_int64(const nlohmann::json& input, const char* name);
std::string string_or_empty(const nlohmann::json& input, const char* name);
std::optional<std::string> optional_string(const nlohmann::json& input, const char* name);
std::vector<std::string> string_list(const nlohmann::json& input, const char* name);
std::vector<std::pair<std::string, std::string>> string_map(const nlohmann::json& input, const char* name);

}  // namespace sluice::aws
