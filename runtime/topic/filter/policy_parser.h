#pragma once
// Reads a filter policy's JSON text into a Node tree, with SNS's checks and its
// words for what is wrong (the text after "Invalid parameter: FilterPolicy: ").

#include <string>
#include <string_view>

#include "runtime/common/result.h"
#include "runtime/topic/filter/filter_policy.h"
#include "runtime/topic/filter/policy_tree.h"

namespace sluice::topic::filter {

inline constexpr size_t kMaxPolicyBytes = 256 * 1024;
inline constexpr int kMaxKeys = 5;
inline constexpr int kMaxCombinations = 150;

// Refusals, in the order they are checked: size, JSON, not an object, then the
// first malformed key or condition in document order, then over 5 keys (the
// top-level ones, counting one "$or" branch at a time), then over 150
// combinations (the product over keys of their number of values, times their
// depth in body scope; "$or" branches add up).
Result<Node, std::string> parse_policy(std::string_view text, FilterScope scope);

}  // namespace sluice::topic::filter
