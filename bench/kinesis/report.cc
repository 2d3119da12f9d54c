#include "bench/kinesis/report.h"

#include "bench/sqs/report_table.h"

#include <iostream>
#include <optional>
#include <vector>

namespace sluice::bench {
namespace {

using namespace table;

// Targets for sluice, from the issue (Kinesis Data Streams engine).
constexpr double kPutOverPeer = 20;  // ingest against the fastest peer
constexpr double kPutRecordsPerS = 150000;
constexpr double kGetRecordsPerS = 250000;
constexpr double kRetainRssMiB = 512;
constexpr double kServingAgainS = 5;

bool is_peer(const std::string& system) { return system.rfind("sluice", 0) != 0; }

std::optional<double> ratio(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b || *b <= 0) return std::nullopt;
  return *a / *b;
}

std::string times(const std::optional<double>& v) {
  if (!v) return "-";
  return fmt(*v < 10 ? "%.2fx" : "%.1fx", *v);
}

std::string rate(const std::optional<double>& v) { return v ? thousands(*v) : "-"; }
std::string mib(const std::optional<double>& kib) { return kib ? thousands(*kib / 1024) : "-"; }

// The peer with the highest median of `key` over its clean runs, if any has one.
struct Fastest {
  std::string system;
  std::optional<double> value;
};
Fastest fastest_peer(const Scenario& s, const char* key) {
  Fastest f;
  for (const auto& sys : s.order) {
    if (!is_peer(sys)) continue;
    auto v = s.by_system.at(sys).median_of(key);
    if (v && (!f.value || *v > *f.value)) f = {sys, v};
  }
  return f;
}

std::string vs_header(const Fastest& f) { return f.value ? "vs " + f.system : "vs fastest peer"; }

// "yes" when every run read back what was acknowledged, else the first mismatch.
std::string read_all(const Group& g) {
  for (const auto& r : g.runs) {
    if (str(r, "verify") == "ok") continue;
    std::string detail = str(r, "verify_detail");
    return "NO" + (detail.empty() ? "" : ": " + detail.substr(0, 60));
  }
  return g.runs.empty() ? "-" : "yes";
}

// A run to describe the scenario's settings from: a clean one if there is one
// (a start failure's line has none of them).
const json& first_run(const Scenario& s) {
  for (const auto& sys : s.order)
    for (const auto& r : s.by_system.at(sys).runs)
      if (str(r, "status") == "ok") return r;
  return s.by_system.at(s.order.front()).runs.front();
}

void put_table(std::ostream& out, const Scenario& s) {
  if (s.order.empty()) return;
  const json& first = first_run(s);
  Fastest peer = fastest_peer(s, "rate");
  out << "\nput: PutRecords of " << thousands(num(first, "batch")) << " × " << thousands(num(first, "record_bytes"))
      << " B random records on " << thousands(num(first, "connections")) << " connections, closed loop, a "
      << thousands(num(first, "shards")) << "-shard stream, " << fmt("%g", num(first, "seconds")) << " s after a "
      << fmt("%g", num(first, "warmup_seconds"))
      << " s warm-up; records/s acknowledged with a SequenceNumber (medians of clean reps)\n";
  std::vector<std::string> header = {"system", "records/s",     "MiB/s",      "p50 ms", "p99 ms", "throttled",
                                     "errors", vs_header(peer), "clean reps", "target", "notes"};
  std::vector<Row> rows;
  for (const auto& sys : s.order) {
    const Group& g = s.by_system.at(sys);
    auto records = g.median_of("rate");
    auto vs = ratio(records, peer.value);
    std::string target = "-";
    if (!is_peer(sys)) {
      bool absolute = records && g.errors() == 0 && *records >= kPutRecordsPerS;
      if (peer.value) {
        bool pass = absolute && vs && *vs >= kPutOverPeer;
        target = std::string(pass ? "PASS" : "FAIL") + " (>= 20x fastest peer, >= 150,000/s)";
      } else {
        // Half of the target cannot be judged without a peer in the same run.
        target = std::string(absolute ? "PASS" : "FAIL") + " (>= 150,000/s); >= 20x fastest peer: no peer in this run";
      }
    }
    double throttled = 0;
    for (const auto& r : g.runs) throttled += num(r, "throttled_records");
    rows.push_back({{sys, rate(records), or_dash(g.median_of("mib_per_s"), "%.1f"), ms(g.median_of("p50_us")),
                     ms(g.median_of("p99_us")), thousands(throttled), thousands(g.errors()), times(vs), clean_reps(g),
                     target, notes(g.runs)}});
  }
  print_table(out, header, rows);
}

void get_table(std::ostream& out, const Scenario& s) {
  if (s.order.empty()) return;
  const json& first = first_run(s);
  Fastest peer = fastest_peer(s, "rate");
  out << "\nget: a fill of N records (PutRecords on `fill conns` connections), then one GetRecords chain per shard at "
         "once (TRIM_HORIZON, Limit "
      << thousands(num(first, "limit"))
      << ") to each shard's end; records/s over the whole read; every acknowledged record must be read, shard by shard "
         "(medians of clean reps)\n";
  std::vector<std::string> header = {"system", "filled",        "fill conns", "fill/s", "records/s",
                                     "MiB/s",  "records/call",  "p50 ms",     "p99 ms", "read all",
                                     "errors", vs_header(peer), "clean reps", "target", "notes"};
  std::vector<Row> rows;
  for (const auto& sys : s.order) {
    const Group& g = s.by_system.at(sys);
    auto records = g.median_of("rate");
    std::string all = read_all(g);
    std::string target = "-";
    if (!is_peer(sys)) {
      bool pass = records && g.errors() == 0 && all == "yes" && *records >= kGetRecordsPerS;
      target = std::string(pass ? "PASS" : "FAIL") + " (>= 250,000/s, read all)";
    }
    rows.push_back({{sys, rate(g.median_of("fill_records")), rate(g.median_of("connections")),
                     rate(g.median_of("fill_rate")), rate(records), or_dash(g.median_of("mib_per_s"), "%.1f"),
                     rate(g.median_of("records_per_call")), ms(g.median_of("p50_us")), ms(g.median_of("p99_us")), all,
                     thousands(g.errors()), times(ratio(records, peer.value)), clean_reps(g), target, notes(g.runs)}});
  }
  print_table(out, header, rows);
}

// retain: each rep is a retain-fill line and a recover line with the same rep.
void retain_table(std::ostream& out, const Scenario& fills, const Scenario& recovers) {
  if (fills.order.empty()) return;
  const json& first = first_run(fills);
  out << "\nretain: a fill of " << thousands(num(first, "fill_records_asked")) << " × "
      << thousands(num(first, "record_bytes"))
      << " B records; the server's VmRSS sampled every 100 ms during it, right after it and "
      << fmt("%g", num(first, "settle_seconds"))
      << " s later; then kill -9, a restart on the same data dir, and the time from that restart until ListShards "
         "answers and until GetRecords returns a record; then every shard read back (medians of clean reps)\n";
  std::vector<std::string> header = {"system",          "records",    "fill/s",       "RSS max MiB", "RSS after MiB",
                                     "RSS settled MiB", "VmHWM MiB",  "ListShards s", "serving s",   "read back",
                                     "errors",          "clean reps", "target",       "notes"};
  std::vector<Row> rows;
  for (const auto& sys : fills.order) {
    const Group& f = fills.by_system.at(sys);
    Group none;
    const Group& r = recovers.by_system.count(sys) ? recovers.by_system.at(sys) : none;
    auto rss_max = f.median_of("rss_during_max_kib");
    auto rss_after = f.median_of("rss_after_kib");
    auto rss_settled = f.median_of("rss_settled_kib");
    auto serving = r.median_of("serving_seconds");
    std::string back = read_all(r);
    // The peak of what was sampled, during the fill or after it, is what is held to the limit.
    std::optional<double> peak;
    for (auto v : {rss_max, rss_after, rss_settled})
      if (v && (!peak || *v > *peak)) peak = v;
    bool pass = peak && serving && f.errors() == 0 && r.errors() == 0 && back == "yes" &&
                *peak / 1024 < kRetainRssMiB && *serving < kServingAgainS;
    std::vector<json> both = f.runs;
    both.insert(both.end(), r.runs.begin(), r.runs.end());
    rows.push_back(
        {{sys, rate(f.median_of("acknowledged")), rate(f.median_of("fill_rate")), mib(rss_max), mib(rss_after),
          mib(rss_settled), mib(f.median_of("vmhwm_kib")), or_dash(r.median_of("list_shards_seconds"), "%.2f"),
          or_dash(serving, "%.2f"), back, thousands(f.errors() + r.errors()), clean_reps(f) + ", " + clean_reps(r),
          std::string(pass ? "PASS" : "FAIL") + " (RSS < 512 MiB, serving < 5 s, read back all)", notes(both)}});
  }
  print_table(out, header, rows);
}

void subscribe_table(std::ostream& out, const Scenario& s) {
  if (s.order.empty()) return;
  const json& first = first_run(s);
  Fastest peer = fastest_peer(s, "rate");
  out << "\nsubscribe: AWS SDK for JavaScript v3, RegisterStreamConsumer and SubscribeToShard (event stream; over "
         "HTTP/2 as the SDK sends it, over HTTP/1.1 if the server's HTTP/2 fails: transport) on each of "
      << thousands(num(first, "shards"))
      << " shards; throughput: PutRecords of 100 × 1 KiB, closed loop, push records/s from the first put until the "
         "last push; latency: puts paced at "
      << (num(first, "paced_rate_given") > 0 ? "a given rate" : "half the pushed throughput")
      << ", put-to-push time of each record (its send time is in its data) (medians of clean reps)\n";
  std::vector<std::string> header = {"system",           "support", "transport",     "push/s",     "put/s",
                                     "saturated p99 ms", "paced/s", "p50 ms",        "p99 ms",     "max ms",
                                     "delivered all",    "errors",  vs_header(peer), "clean reps", "notes"};
  std::vector<Row> rows;
  for (const auto& sys : s.order) {
    const Group& g = s.by_system.at(sys);
    std::string support = "yes";
    std::string reason, transport = "-", transport_note;
    for (const auto& r : g.runs) {
      if (str(r, "status") == "not-supported") {
        support = "NOT SUPPORTED";
        reason = str(r, "unsupported_reason");
      }
      if (!str(r, "transport").empty()) transport = str(r, "transport");
      if (!str(r, "transport_note").empty()) transport_note = str(r, "transport_note");
    }
    std::string delivered = "yes";
    for (const auto& r : g.runs) {
      if (str(r, "status") != "not-supported" && str(r, "verify") != "ok") {
        delivered = "NO: " + str(r, "verify_detail").substr(0, 60);
        break;
      }
    }
    if (support != "yes") delivered = "-";
    std::string n = support == "yes" ? notes(g.runs) : reason.substr(0, 200);
    if (support == "yes" && !transport_note.empty()) n += (n.empty() ? "" : "; ") + transport_note.substr(0, 120);
    rows.push_back({{sys, support, transport, rate(g.median_of("rate")), rate(g.median_of("throughput_put_rate")),
                     ms(g.median_of("saturated_p99_us")), rate(g.median_of("paced_rate")), ms(g.median_of("p50_us")),
                     ms(g.median_of("p99_us")), ms(g.median_of("max_us")), delivered, thousands(g.errors()),
                     times(ratio(g.median_of("rate"), peer.value)), clean_reps(g), n}});
  }
  print_table(out, header, rows);
}

}  // namespace

int print_kinesis_report(const std::string& results_file, const std::string& run_id, std::ostream& out) {
  std::vector<json> runs;
  if (!read_run(results_file, run_id, runs)) return 1;
  Scenario put, get, fills, recovers, subscribe;
  for (const auto& r : runs) {
    std::string scenario = str(r, "scenario");
    if (scenario == "put") put.add(r);
    else if (scenario == "get") get.add(r);
    else if (scenario == "retain-fill") fills.add(r);
    else if (scenario == "recover") recovers.add(r);
    else if (scenario == "subscribe") subscribe.add(r);
  }
  print_run_header(out, run_id, runs);
  put_table(out, put);
  get_table(out, get);
  retain_table(out, fills, recovers);
  subscribe_table(out, subscribe);
  return 0;
}

}  // namespace sluice::bench
