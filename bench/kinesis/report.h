#pragma once

// Turns one run's JSON lines (bench/results/<date>-kinesis.jsonl, filtered by
// run_id) into the tables run-kinesis.sh prints: per scenario and system, medians
// of the clean repetitions, the ratio to the fastest peer measured in the same
// run, and sluice's figures against the targets.

#include <iosfwd>
#include <string>

namespace sluice::bench {

int print_kinesis_report(const std::string& results_file, const std::string& run_id, std::ostream& out);

}  // namespace sluice::bench
