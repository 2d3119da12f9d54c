#pragma once

// Turns one run's JSON lines (bench/results/<date>-sns.jsonl, filtered by run_id)
// into the tables run-sns.sh prints: per subscription count and system, medians
// of the clean repetitions, the ratios to moto and fauxqs measured in the same
// run, and what 16 subscriptions cost against one.

#include <iosfwd>
#include <string>

namespace sluice::bench {

int print_sns_report(const std::string& results_file, const std::string& run_id, std::ostream& out);

}  // namespace sluice::bench
