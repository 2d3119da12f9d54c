#pragma once

// The pieces every benchmark report here is made of (sqs/report.cc, sns/report.cc):
// one run's JSON lines grouped by scenario and system, medians over the clean
// repetitions, number formatting, an aligned table, and the run's header line
// (git revision, load, CPU taken by others, NOT QUIET).

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sluice::bench::table {

using nlohmann::json;

std::optional<double> median(std::vector<double> v);
double num(const json& j, const char* key, double fallback = 0);
std::string str(const json& j, const char* key);
std::string fmt(const char* format, double v);
std::string thousands(double v);  // 12,345
std::string or_dash(const std::optional<double>& v, const char* format);
std::string ms(const std::optional<double>& us);  // microseconds shown as ms, 2 decimals

struct Row {
  std::vector<std::string> cells;
};

// First column left-aligned, figures right-aligned, the last column free text.
void print_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<Row>& rows);

// Notes for runs that are not clean: noisy runs, their statuses and the first error.
std::string notes(const std::vector<json>& runs);

// One system's runs of one scenario.
struct Group {
  std::vector<json> runs;
  std::vector<json> clean() const;  // status "ok"
  std::optional<double> median_of(const char* key) const;
  double errors() const;
};

std::string clean_reps(const Group& g);  // "3/3"

// Keeps the order in which systems first ran (the scripts put the reference first).
struct Scenario {
  std::vector<std::string> order;
  std::map<std::string, Group> by_system;
  void add(const json& r);
};

// The JSON lines of `run_id` in `results_file`; false (and a message) if none.
bool read_run(const std::string& results_file, const std::string& run_id, std::vector<json>& runs);

// "run ID (git) | load average at start ... | CPU taken by other processes ...",
// and NOT QUIET when the machine was busy.
void print_run_header(std::ostream& out, const std::string& run_id, const std::vector<json>& runs);

}  // namespace sluice::bench::table
