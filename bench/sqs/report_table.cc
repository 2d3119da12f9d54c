#include "bench/sqs/report_table.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

namespace sluice::bench::table {
namespace {

// A run during which other processes took more of the cores than this is noisy.
constexpr double kNoisyOtherCpuPct = 10;
constexpr double kQuietLoad = 0.5;

}  // namespace

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

double num(const json& j, const char* key, double fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string thousands(double v) {
  std::string digits = std::to_string(static_cast<long long>(v + 0.5));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string or_dash(const std::optional<double>& v, const char* format) { return v ? fmt(format, *v) : "-"; }

std::string ms(const std::optional<double>& us) { return us ? fmt("%.2f", *us / 1000) : "-"; }

void print_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<Row>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r.cells[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string cell = cells[c];
      bool last = c + 1 == cells.size();
      if (c == 0 || last) {
        s += cell + (last ? "" : std::string(width[c] - cell.size(), ' '));
      } else {
        s += std::string(width[c] - cell.size(), ' ') + cell;
      }
      if (!last) s += "  ";
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << "\n";
  };
  line(header);
  for (const auto& r : rows) line(r.cells);
}

std::string notes(const std::vector<json>& runs) {
  std::map<std::string, int> statuses;
  std::string first_error;
  for (const auto& r : runs) {
    std::string s = str(r, "status");
    if (s != "ok") ++statuses[s.empty() ? "missing" : s];
    if (first_error.empty() && r.contains("error_samples") && r["error_samples"].is_array() &&
        !r["error_samples"].empty()) {
      first_error = r["error_samples"][0].value("error", "");
    }
  }
  int noisy = 0;
  for (const auto& r : runs) noisy += num(r, "other_cpu_pct") > kNoisyOtherCpuPct;
  std::string out;
  if (noisy > 0) out = std::to_string(noisy) + "x noisy (others took > 10% CPU)";
  for (const auto& [s, n] : statuses) out += (out.empty() ? "" : ", ") + std::to_string(n) + "x " + s;
  if (!first_error.empty()) out += (out.empty() ? "" : "; ") + first_error.substr(0, 100);
  return out;
}

std::vector<json> Group::clean() const {
  std::vector<json> c;
  for (const auto& r : runs)
    if (str(r, "status") == "ok") c.push_back(r);
  return c;
}

std::optional<double> Group::median_of(const char* key) const {
  std::vector<double> v;
  for (const auto& r : clean())
    if (r.contains(key)) v.push_back(num(r, key));
  return median(v);
}

double Group::errors() const {
  double e = 0;
  for (const auto& r : runs) e += num(r, "errors");
  return e;
}

std::string clean_reps(const Group& g) {
  return std::to_string(g.clean().size()) + "/" + std::to_string(g.runs.size());
}

void Scenario::add(const json& r) {
  std::string sys = str(r, "system");
  if (!by_system.count(sys)) order.push_back(sys);
  by_system[sys].runs.push_back(r);
}

bool read_run(const std::string& results_file, const std::string& run_id, std::vector<json>& runs) {
  std::ifstream in(results_file);
  if (!in) {
    std::cerr << "cannot read " << results_file << "\n";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    auto r = json::parse(line, nullptr, false);
    if (r.is_object() && str(r, "run_id") == run_id) runs.push_back(std::move(r));
  }
  if (runs.empty()) {
    std::cerr << "no results for run " << run_id << " in " << results_file << "\n";
    return false;
  }
  return true;
}

void print_run_header(std::ostream& out, const std::string& run_id, const std::vector<json>& runs) {
  std::vector<double> others;
  double start_load = -1;
  for (const auto& r : runs) {
    if (r.contains("load_at_start")) start_load = num(r, "load_at_start");
    if (r.contains("other_cpu_pct")) others.push_back(num(r, "other_cpu_pct"));
  }
  out << "run " << run_id << " (" << (runs.empty() ? "" : str(runs.front(), "git")) << ")";
  bool quiet = true;
  if (start_load >= 0) {
    out << " | load average at start " << fmt("%.2f", start_load);
    quiet = start_load < kQuietLoad;
  }
  if (!others.empty()) {
    double worst = *std::max_element(others.begin(), others.end());
    out << " | CPU taken by other processes during runs: median " << fmt("%.1f%%", *median(others)) << ", max "
        << fmt("%.1f%%", worst);
    quiet = quiet && worst <= kNoisyOtherCpuPct;
  }
  if (!quiet) out << "\nNOT QUIET: someone else used the cores; these figures are not final";
  out << "\n";
}

}  // namespace sluice::bench::table
