#include "bench/sqs/report.h"

#include "bench/sqs/report_table.h"

#include <algorithm>
#include <iostream>
#include <optional>
#include <vector>

namespace sluice::bench {
namespace {

using namespace table;

// Targets for sluice (durable mode), from the benchmark brief.
constexpr double kSendShareOfCeiling = 0.5;
constexpr double kDrainMsgsPerSecond = 50000;
constexpr double kBacklogRssMiB = 512;
constexpr double kServingAgainSeconds = 10;

void throughput_table(std::ostream& out, const std::string& title, const Scenario& s, bool drain) {
  if (s.order.empty()) return;
  std::optional<double> ceiling;
  if (s.by_system.count("nginx")) ceiling = s.by_system.at("nginx").median_of("rate");
  out << "\n" << title << "\n";
  std::vector<std::string> header = {"system",    drain ? "msg/s" : "req/s", "p50 ms", "p99 ms", "errors", "vs nginx",
                                     "clean reps"};
  if (drain) {
    header.insert(header.begin() + 1, "backlog");
    header.insert(header.begin() + 5, "empty receives");
    header.insert(header.begin() + 6, "empty after");
  }
  header.push_back("target");
  header.push_back("notes");
  std::vector<Row> rows;
  for (const auto& sys : s.order) {
    const Group& g = s.by_system.at(sys);
    auto rate = g.median_of("rate");
    auto p50 = g.median_of("p50_us");
    auto p99 = g.median_of("p99_us");
    Row row;
    row.cells = {sys};
    if (drain) {
      std::vector<double> backlogs;
      for (const auto& r : g.runs)
        if (r.contains("acknowledged")) backlogs.push_back(num(r, "acknowledged"));
      auto backlog = median(backlogs);
      row.cells.push_back(backlog ? thousands(*backlog) : "-");
    }
    row.cells.push_back(rate ? thousands(*rate) : "-");
    row.cells.push_back(p50 ? fmt("%.2f", *p50 / 1000) : "-");
    row.cells.push_back(p99 ? fmt("%.2f", *p99 / 1000) : "-");
    bool all_empty = true;
    for (const auto& r : g.runs) all_empty = all_empty && str(r, "verify") == "ok";
    if (drain) {
      // Receives that found nothing while messages were left: wasted round trips.
      std::vector<double> shares;
      for (const auto& r : g.clean()) {
        if (num(r, "receives") > 0) shares.push_back(100 * num(r, "empty_receives") / num(r, "receives"));
      }
      row.cells.push_back(or_dash(median(shares), "%.0f%%"));
      row.cells.push_back(all_empty ? "yes" : "NO");
    }
    row.cells.push_back(thousands(g.errors()));
    std::optional<double> share;
    if (rate && ceiling && *ceiling > 0) share = 100 * *rate / *ceiling;
    row.cells.push_back(share ? fmt(*share < 10 ? "%.1f%%" : "%.0f%%", *share) : "-");
    row.cells.push_back(std::to_string(g.clean().size()) + "/" + std::to_string(g.runs.size()));
    std::string target = "-";
    if (sys == "sluice" || sys == "sluice-b") {
      bool pass = rate && g.errors() == 0;
      if (drain) {
        pass = pass && all_empty && *rate >= kDrainMsgsPerSecond;
        target = std::string(pass ? "PASS" : "FAIL") + " (>= 50,000 msg/s, empty)";
      } else {
        pass = pass && ceiling && *rate >= kSendShareOfCeiling * *ceiling;
        target = std::string(pass ? "PASS" : "FAIL") + " (>= 50% of nginx)";
      }
    }
    row.cells.push_back(target);
    row.cells.push_back(notes(g.runs));
    rows.push_back(row);
  }
  print_table(out, header, rows);
}

void memory_table(std::ostream& out, const Scenario& fills, const Scenario& recovers) {
  if (fills.order.empty() && recovers.order.empty()) return;
  out << "\nmemory: 1 KiB messages loaded with SendMessageBatch, then kill -9 and restart on the same data dir "
         "(medians of clean reps)\n";
  std::vector<std::string> header = {"system",          "backlog",      "fill msg/s", "VmRSS MiB", "VmHWM MiB",
                                     "serving again s", "backlog kept", "clean reps", "target",    "notes"};
  std::vector<Row> rows;
  for (const auto& sys : fills.order) {
    const Group& f = fills.by_system.at(sys);
    Group r = recovers.by_system.count(sys) ? recovers.by_system.at(sys) : Group{};
    auto backlog = f.median_of("acknowledged");
    auto rate = f.median_of("rate");
    auto rss = r.median_of("vmrss_kib");
    auto hwm = r.median_of("vmhwm_kib");
    auto serving = r.median_of("serving_seconds");
    bool kept = !r.runs.empty();
    for (const auto& run : r.runs) kept = kept && str(run, "verify") == "ok";
    size_t clean = std::min(f.clean().size(), r.clean().size());
    bool pass = rss && serving && kept && f.errors() + r.errors() == 0 && *rss / 1024 < kBacklogRssMiB &&
                *serving < kServingAgainSeconds;
    std::vector<json> all = f.runs;
    all.insert(all.end(), r.runs.begin(), r.runs.end());
    rows.push_back(
        {{sys, backlog ? thousands(*backlog) : "-", rate ? thousands(*rate) : "-", rss ? fmt("%.0f", *rss / 1024) : "-",
          hwm ? fmt("%.0f", *hwm / 1024) : "-", or_dash(serving, "%.2f"), kept ? "yes" : "NO",
          std::to_string(clean) + "/" + std::to_string(f.runs.size()),
          std::string(pass ? "PASS" : "FAIL") + " (RSS < 512 MiB, serving < 10 s)", notes(all)}});
  }
  print_table(out, header, rows);
}

// Median of each element of an array figure ("block_seconds") over the clean runs.
std::vector<double> median_per_index(const Group& g, const char* key) {
  std::vector<std::vector<double>> columns;
  for (const auto& r : g.clean()) {
    auto it = r.find(key);
    if (it == r.end() || !it->is_array()) continue;
    for (size_t i = 0; i < it->size(); ++i) {
      if (columns.size() <= i) columns.emplace_back();
      if ((*it)[i].is_number()) columns[i].push_back((*it)[i].get<double>());
    }
  }
  std::vector<double> out;
  for (const auto& c : columns) out.push_back(*median(c));
  return out;
}

void stall_table(std::ostream& out, const Scenario& s) {
  if (s.order.empty()) return;
  const json& first = s.by_system.at(s.order.front()).runs.front();
  out << "\nstall: SendMessage " << thousands(num(first, "body_bytes")) << " B on "
      << thousands(num(first, "connections")) << " connections while 1 more connection makes the queues ("
      << (str(first, "mix").empty() ? "create" : str(first, "mix"))
      << "), one call at a time; 'before' = a window as long as the creates, just before them"
      << " (medians of clean reps)\n";
  std::vector<std::string> header = {"system",       "queues",     "create s",          "CreateQueue/s", "req/s before",
                                     "req/s during", "p50 before", "p99 before",        "max before",    "p50 during",
                                     "p99 during",   "max during", "p99 during/before", "errors",        "clean reps",
                                     "notes"};
  std::vector<Row> rows;
  for (const auto& sys : s.order) {
    const Group& g = s.by_system.at(sys);
    std::vector<double> queues;
    for (const auto& r : g.runs)
      if (r.contains("queues")) queues.push_back(num(r, "queues"));
    auto q = median(queues);
    std::string note = notes(g.runs);
    for (const auto& r : g.clean()) {
      if (num(r, "baseline_seconds") + 0.05 < num(r, "create_seconds")) {
        note = (note.empty() ? "" : note + "; ") + "'before' shorter than the creates (--duration)";
        break;
      }
    }
    rows.push_back(
        {{sys, q ? thousands(*q) : "-", or_dash(g.median_of("create_seconds"), "%.2f"),
          or_dash(g.median_of("create_rate"), "%.0f"),
          g.median_of("baseline_rate") ? thousands(*g.median_of("baseline_rate")) : "-",
          g.median_of("during_rate") ? thousands(*g.median_of("during_rate")) : "-", ms(g.median_of("baseline_p50_us")),
          ms(g.median_of("baseline_p99_us")), ms(g.median_of("baseline_max_us")), ms(g.median_of("during_p50_us")),
          ms(g.median_of("during_p99_us")), ms(g.median_of("during_max_us")),
          or_dash(g.median_of("p99_ratio"), "%.1fx"), thousands(g.errors()), clean_reps(g), note}});
  }
  print_table(out, header, rows);
}

void bulk_create_table(std::ostream& out, const Scenario& s) {
  if (s.order.empty()) return;
  const json& first = s.by_system.at(s.order.front()).runs.front();
  out << "\nbulk-create: CreateQueue (" << (str(first, "mix").empty() ? "create" : str(first, "mix")) << ") of "
      << thousands(num(first, "queues")) << " queues unless noted on " << thousands(num(first, "connections"))
      << " connections, timed per block of " << thousands(num(first, "block"))
      << "; then ListQueues(MaxResults=1000) + NextToken of all (medians of clean reps)\n";
  std::vector<std::string> header = {"system",        "queues",       "total s",     "queues/s", "p99 ms",
                                     "first block s", "last block s", "last/first",  "list s",   "listed all",
                                     "errors",        "clean reps",   "s per block", "notes"};
  std::vector<Row> rows;
  for (const auto& sys : s.order) {
    const Group& g = s.by_system.at(sys);
    std::vector<double> queues;
    for (const auto& r : g.runs)
      if (r.contains("queues")) queues.push_back(num(r, "queues"));
    auto q = median(queues);
    bool all_listed = !g.runs.empty();
    for (const auto& r : g.runs) all_listed = all_listed && str(r, "verify") == "ok";
    std::vector<double> blocks = median_per_index(g, "block_seconds");
    std::string per_block;
    for (double b : blocks) {
      if (!per_block.empty()) per_block += ' ';
      per_block += fmt("%.2f", b);
    }
    rows.push_back({{sys, q ? thousands(*q) : "-", or_dash(g.median_of("seconds"), "%.2f"),
                     g.median_of("rate") ? thousands(*g.median_of("rate")) : "-", ms(g.median_of("p99_us")),
                     blocks.empty() ? "-" : fmt("%.2f", blocks.front()),
                     blocks.empty() ? "-" : fmt("%.2f", blocks.back()), or_dash(g.median_of("block_ratio"), "%.2f"),
                     or_dash(g.median_of("list_seconds"), "%.3f"), all_listed ? "yes" : "NO", thousands(g.errors()),
                     clean_reps(g), per_block.empty() ? "-" : per_block, notes(g.runs)}});
  }
  print_table(out, header, rows);
}

// A/B: the same figures for two sidecar binaries run interleaved in this run
// (sluice from --sidecar or the build, sluice-b from --sidecar-b).
struct Figure {
  const Scenario* scenario;
  const char* name;   // scenario column
  const char* label;  // figure column
  const char* key;
  double scale;  // applied before printing
  const char* format;
};

void ab_table(std::ostream& out, const std::string& a, const std::string& b, const std::vector<Figure>& figures) {
  std::vector<Row> rows;
  std::string a_binary, b_binary;
  for (const auto& f : figures) {
    if (!f.scenario->by_system.count(a) || !f.scenario->by_system.count(b)) continue;
    const Group& ga = f.scenario->by_system.at(a);
    const Group& gb = f.scenario->by_system.at(b);
    if (a_binary.empty()) a_binary = str(ga.runs.front(), "sidecar");
    if (b_binary.empty()) b_binary = str(gb.runs.front(), "sidecar");
    auto va = ga.median_of(f.key);
    auto vb = gb.median_of(f.key);
    std::optional<double> ratio;
    if (va && vb && *vb != 0) ratio = *va / *vb;
    auto cell = [&](const std::optional<double>& v) {
      if (!v) return std::string("-");
      return std::string(f.format) == "thousands" ? thousands(*v * f.scale) : fmt(f.format, *v * f.scale);
    };
    rows.push_back(
        {{f.name, f.label, cell(va), cell(vb), or_dash(ratio, "%.2f"), clean_reps(ga) + " | " + clean_reps(gb)}});
  }
  if (rows.empty()) return;
  out << "\nA/B, interleaved in this run: " << a << " = " << (a_binary.empty() ? "?" : a_binary) << ", " << b << " = "
      << (b_binary.empty() ? "?" : b_binary) << " (medians of clean reps)\n";
  print_table(out, {"scenario", "figure", a, b, a + "/" + b, "clean reps"}, rows);
}

}  // namespace

int print_report(const std::string& results_file, const std::string& run_id, std::ostream& out) {
  std::vector<json> runs;
  if (!read_run(results_file, run_id, runs)) return 1;
  Scenario send, drain, fill, recover, stall, bulk;
  for (const auto& r : runs) {
    std::string scenario = str(r, "scenario");
    if (scenario == "send") send.add(r);
    else if (scenario == "drain") drain.add(r);
    else if (scenario == "fill") fill.add(r);
    else if (scenario == "recover") recover.add(r);
    else if (scenario == "stall") stall.add(r);
    else if (scenario == "bulk-create") bulk.add(r);
  }
  print_run_header(out, run_id, runs);
  if (!send.order.empty()) {
    const json& s = send.by_system.begin()->second.runs.front();
    throughput_table(out,
                     "send: SendMessage " + thousands(num(s, "body_bytes")) + " B, " +
                         thousands(num(s, "connections")) + " connections, " + fmt("%g", num(s, "seconds")) +
                         " s per rep (medians of clean reps)",
                     send, false);
  }
  if (!drain.order.empty()) {
    const json& d = drain.by_system.begin()->second.runs.front();
    throughput_table(out,
                     "drain: a backlog of 1 KiB messages (" + thousands(num(d, "messages")) + " unless noted), " +
                         thousands(num(d, "consumers")) +
                         " consumers of ReceiveMessage(10) + DeleteMessageBatch (medians of clean reps)",
                     drain, true);
  }
  stall_table(out, stall);
  bulk_create_table(out, bulk);
  memory_table(out, fill, recover);
  std::vector<Figure> figures = {
      {&send, "send", "req/s", "rate", 1, "thousands"},
      {&send, "send", "p50 ms", "p50_us", 1e-3, "%.2f"},
      {&send, "send", "p99 ms", "p99_us", 1e-3, "%.2f"},
      {&drain, "drain", "msg/s", "rate", 1, "thousands"},
      {&drain, "drain", "p99 ms", "p99_us", 1e-3, "%.2f"},
      {&stall, "stall", "CreateQueue/s", "create_rate", 1, "%.0f"},
      {&stall, "stall", "req/s during", "during_rate", 1, "thousands"},
      {&stall, "stall", "p99 before ms", "baseline_p99_us", 1e-3, "%.2f"},
      {&stall, "stall", "p99 during ms", "during_p99_us", 1e-3, "%.2f"},
      {&stall, "stall", "p99 during/before", "p99_ratio", 1, "%.1fx"},
      {&bulk, "bulk-create", "queues/s", "rate", 1, "thousands"},
      {&bulk, "bulk-create", "last/first block", "block_ratio", 1, "%.2f"},
      {&bulk, "bulk-create", "ListQueues s", "list_seconds", 1, "%.3f"},
      {&fill, "memory", "fill msg/s", "rate", 1, "thousands"},
      {&recover, "memory", "VmRSS MiB", "vmrss_kib", 1.0 / 1024, "%.0f"},
      {&recover, "memory", "serving again s", "serving_seconds", 1, "%.2f"},
  };
  ab_table(out, "sluice", "sluice-b", figures);
  ab_table(out, "sluice-periodic", "sluice-b-periodic", figures);
  return 0;
}

}  // namespace sluice::bench
