#include "bench/sns/report.h"

#include "bench/sqs/report_table.h"

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

namespace sluice::bench {
namespace {

using namespace table;

// Targets for sluice (durable mode), from the issue.
constexpr double kOverMoto = 20;         // publish/s to one queue, against moto
constexpr double kOverFauxqs = 3;        // and against fauxqs
constexpr double kSixteenCostUnder = 4;  // publish/s with 1 subscription over that with 16

std::optional<double> ratio(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b || *b <= 0) return std::nullopt;
  return *a / *b;
}

std::string times(const std::optional<double>& v) {
  if (!v) return "-";
  return fmt(*v < 10 ? "%.2fx" : "%.1fx", *v);
}

std::string rate(const std::optional<double>& v) { return v ? thousands(*v) : "-"; }

// "yes" when every run delivered exactly what was acknowledged, else what was missing.
std::string delivered_all(const Group& g) {
  bool all = !g.runs.empty();
  double worst = 0;
  std::string extra;
  for (const auto& r : g.runs) {
    std::string v = str(r, "verify");
    all = all && v == "ok";
    if (v == "extra") extra = " (more than published)";
    worst = std::max(worst, num(r, "shortfall"));
    if (num(r, "paced_expected") > 0 || num(r, "throughput_expected") > 0) {
      worst = std::max(worst, num(r, "throughput_expected") - num(r, "throughput_delivered"));
      worst = std::max(worst, num(r, "paced_expected") - num(r, "paced_delivered"));
    }
  }
  if (all) return "yes";
  return worst > 0 ? "NO: up to " + thousands(worst) + " missing" : "NO" + extra;
}

void publish_table(std::ostream& out, const std::map<int, Scenario>& by_subs) {
  if (by_subs.empty()) return;
  const json& first = by_subs.begin()->second.by_system.begin()->second.runs.front();
  out << "\npublish: Publish " << thousands(num(first, "body_bytes")) << " B on "
      << thousands(num(first, "connections")) << " connections, " << fmt("%g", num(first, "seconds")) << " s after a "
      << fmt("%g", num(first, "warmup_seconds"))
      << " s warm-up, to a topic with N SQS subscriptions (raw delivery, one queue each); delivered/s = messages in "
         "the queues / time from the first publish until the last one was there (medians of clean reps)\n";
  std::vector<std::string> header = {
      "system",     "subs",          "publish/s", "p50 ms",  "p99 ms",    "delivered/s",    "fanned-out/s",
      "lag s",      "delivered all", "errors",    "vs moto", "vs fauxqs", "1 sub / N subs", "delivered/s vs 1 sub",
      "clean reps", "target",        "notes"};
  std::vector<Row> rows;
  const Scenario* one = by_subs.count(1) ? &by_subs.at(1) : nullptr;
  auto median_at = [](const Scenario& s, const std::string& sys, const char* key) -> std::optional<double> {
    return s.by_system.count(sys) ? s.by_system.at(sys).median_of(key) : std::nullopt;
  };
  for (const auto& [subs, s] : by_subs) {
    for (const auto& sys : s.order) {
      const Group& g = s.by_system.at(sys);
      auto publish = g.median_of("rate");
      auto vs_moto = ratio(publish, median_at(s, "moto", "rate"));
      auto vs_fauxqs = ratio(publish, median_at(s, "fauxqs", "rate"));
      std::optional<double> cost, delivered_gain;
      if (one && subs != 1) {
        cost = ratio(median_at(*one, sys, "rate"), publish);
        delivered_gain = ratio(g.median_of("delivered_rate"), median_at(*one, sys, "delivered_rate"));
      }
      std::string all = delivered_all(g);
      std::string target = "-";
      if (sys == "sluice") {
        bool clean = publish && g.errors() == 0 && all == "yes";
        if (subs == 1) {
          bool pass = clean && vs_moto && vs_fauxqs && *vs_moto >= kOverMoto && *vs_fauxqs >= kOverFauxqs;
          target = std::string(pass ? "PASS" : "FAIL") + " (>= 20x moto, >= 3x fauxqs)";
        } else if (subs == 16) {
          bool pass = clean && cost && *cost < kSixteenCostUnder;
          target = std::string(pass ? "PASS" : "FAIL") + " (1 sub / 16 subs < 4x)";
        }
      }
      rows.push_back({{sys, std::to_string(subs), rate(publish), ms(g.median_of("p50_us")), ms(g.median_of("p99_us")),
                       rate(g.median_of("delivered_rate")), rate(g.median_of("fanned_out_rate")),
                       or_dash(g.median_of("delivery_lag_seconds"), "%.2f"), all, thousands(g.errors()), times(vs_moto),
                       times(vs_fauxqs), times(cost), times(delivered_gain), clean_reps(g), target, notes(g.runs)}});
    }
  }
  print_table(out, header, rows);
}

void http_fanout_table(std::ostream& out, const Scenario& s) {
  if (s.order.empty()) return;
  const json& first = s.by_system.begin()->second.runs.front();
  out << "\nhttp-fanout: " << thousands(num(first, "endpoints"))
      << " HTTP subscriptions (JSON envelope), one loopback receiver each; throughput: a fixed number of publishes on "
      << thousands(num(first, "throughput_connections"))
      << " connections, closed loop, notifications/s until the last one arrived; latency: publishes paced (by default "
         "at half the throughput, in publishes/s) for "
      << fmt("%g", num(first, "paced_seconds")) << " s, receive time - due time (medians of clean reps)\n";
  std::vector<std::string> header = {"system",          "publishes",     "notif/s", "publish/s",  "saturated p99 ms",
                                     "paced publish/s", "paced notif/s", "p50 ms",  "p99 ms",     "max ms",
                                     "delivered all",   "errors",        "vs moto", "clean reps", "notes"};
  std::vector<Row> rows;
  std::optional<double> moto = s.by_system.count("moto") ? s.by_system.at("moto").median_of("rate") : std::nullopt;
  for (const auto& sys : s.order) {
    const Group& g = s.by_system.at(sys);
    rows.push_back({{sys, rate(g.median_of("throughput_published")), rate(g.median_of("rate")),
                     rate(g.median_of("throughput_publish_rate")), ms(g.median_of("saturated_p99_us")),
                     rate(g.median_of("paced_rate")), rate(g.median_of("paced_notification_rate")),
                     ms(g.median_of("p50_us")), ms(g.median_of("p99_us")), ms(g.median_of("max_us")), delivered_all(g),
                     thousands(g.errors()), times(ratio(g.median_of("rate"), moto)), clean_reps(g), notes(g.runs)}});
  }
  print_table(out, header, rows);
}

}  // namespace

int print_sns_report(const std::string& results_file, const std::string& run_id, std::ostream& out) {
  std::vector<json> runs;
  if (!read_run(results_file, run_id, runs)) return 1;
  std::map<int, Scenario> publish;
  Scenario http;
  for (const auto& r : runs) {
    std::string scenario = str(r, "scenario");
    if (scenario == "publish") publish[static_cast<int>(num(r, "subscriptions"))].add(r);
    else if (scenario == "http-fanout") http.add(r);
  }
  print_run_header(out, run_id, runs);
  publish_table(out, publish);
  http_fanout_table(out, http);
  return 0;
}

}  // namespace sluice::bench
