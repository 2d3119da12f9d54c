#pragma once
// Small helpers over nlohmann::json shared by the test API server: safe lookups on
// untrusted input (no throwing), timestamps, ids and base64.

#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sluice::test_apiserver {

using Json = nlohmann::json;
using Clock = std::chrono::system_clock;

// nullptr when `obj` is not an object or lacks `key`.
const Json* find(const Json& obj, std::string_view key);
Json* find(Json& obj, std::string_view key);
const Json* find_path(const Json& obj, std::initializer_list<std::string_view> path);

// The string at `path`, or "" when absent or not a string.
std::string string_at(const Json& obj, std::initializer_list<std::string_view> path);

// obj[key], turning a missing or null member into an empty object first.
Json& object_member(Json& obj, const std::string& key);

std::string rfc3339(Clock::time_point t);
// Parses "2006-01-02T15:04:05Z" (optional fraction, 'Z' or numeric offset).
bool parse_rfc3339(std::string_view text, Clock::time_point& out);

std::string random_uid();
// The 5 characters Kubernetes appends to generateName.
std::string random_name_suffix();

std::string base64_encode(std::string_view bytes);
bool base64_decode(std::string_view text, std::string& out);

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
bool parse_go_bool(std::string_view text, bool& out);

// A short type name for messages: "string", "integer", "number", "boolean", "object", "array", "null".
const char* json_type_name(const Json& v);

}  // namespace sluice::test_apiserver
