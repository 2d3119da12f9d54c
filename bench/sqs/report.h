#pragma once

// Turns one run's JSON lines (bench/results/<date>-sqs.jsonl, filtered by run_id)
// into the table run-sqs.sh prints: one line per system and scenario, medians of
// the clean repetitions, errors summed over all of them, and the ratio to the
// nginx ceiling measured in the same run.

#include <iosfwd>
#include <string>

namespace sluice::bench {

int print_report(const std::string& results_file, const std::string& run_id, std::ostream& out);

}  // namespace sluice::bench
