#pragma once
// The "wildcard" match of SNS filter policies: '*' stands for any run of bytes
// (empty included), "\*" and "\\" for a literal '*' and '\'. Parsed once with
// AWS's refusals (event-ruler's, the engine behind SNS and EventBridge
// filtering), matched without backtracking blow-up.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/result.h"

namespace sluice::topic::filter {

// An immutable pattern, safe to match from any thread.
class Wildcard {
 public:
  static constexpr int16_t kStar = -1;

  // Refuses "**" ("Consecutive wildcard characters at pos N") and any other
  // backslash escape ("Invalid escape character at pos N"); N counts UTF-8
  // bytes from 1, as AWS does (it reads the pattern with its opening quote).
  static Result<Wildcard, std::string> parse(std::string_view pattern);

  bool matches(std::string_view text) const;

  // Bytes (0..255) and kStar, escapes resolved.
  const std::vector<int16_t>& tokens() const { return tokens_; }

 private:
  std::vector<int16_t> tokens_;
};

// AWS refuses a field whose wildcard patterns (its "wildcard" and "anything-but"
// "wildcard" conditions, taken together) could keep too many pattern states
// alive at once: "Rule is too complex - try using fewer wildcard characters or
// fewer repeating character sequences after a wildcard character". Modelled on
// event-ruler's MachineComplexityEvaluator: patterns share their states up to
// the first '*', each state weighs the patterns through it, and the most any
// input can make active at once must stay within 10. In practice: at most five
// patterns that start with '*' on one field, and no long runs like "*aaaaa".
bool within_wildcard_complexity(const std::vector<const Wildcard*>& patterns);

inline constexpr std::string_view kWildcardTooComplex =
    "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a "
    "wildcard character";

}  // namespace sluice::topic::filter
