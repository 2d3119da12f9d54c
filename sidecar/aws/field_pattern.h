#pragma once
// How a service's error map names the engine errors a row covers: by the
// parameter an Error names (runtime/common/error.h), as a pattern:
//   "QueueUrl"      exactly that parameter
//   "Attributes."   any parameter under that prefix (Attributes.DelaySeconds)
//   "*"             any parameter, and none
//   ""              no parameter

#include <string_view>

namespace sluice::aws {

inline bool field_matches(std::string_view pattern, std::string_view field) {
  if (pattern == "*") return true;
  if (!pattern.empty() && pattern.back() == '.') return field.substr(0, pattern.size()) == pattern;
  return pattern == field;
}

}  // namespace sluice::aws
