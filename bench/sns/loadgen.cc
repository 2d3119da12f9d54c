// sluice-sns-loadgen: the SNS load generator of bench/run-sns.sh.
//
//   sluice-sns-loadgen publish|http-fanout --port P [options]   one JSON line
//   sluice-sns-loadgen report --results FILE --run-id ID        the tables
//   sluice-sns-loadgen ports N                                  N free loopback ports
//
// Built like sluice-sqs-loadgen to cost much less than the servers it measures:
// Boost.Asio on one thread, request bytes built once (a stamped Publish is
// stamped in place), replies scanned rather than parsed.

#include "bench/sns/report.h"
#include "bench/sns/scenarios.h"
#include "bench/sqs/loadgen_common.h"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

namespace sluice::bench {
namespace {

constexpr const char* kUsage = R"(usage:
  sluice-sns-loadgen publish|http-fanout --port P [options] [--label key=value]...
  sluice-sns-loadgen report --results FILE --run-id ID
  sluice-sns-loadgen ports N

options (defaults in brackets):
  --host H                server address [127.0.0.1]
  --threads N             publisher threads [1]
  --connections N         publish: closed-loop connections; http-fanout: the paced
                          phase's connections at most [64]
  --duration S            publish: measured seconds; http-fanout: paced seconds [10]
  --warmup S              publish: warm-up seconds [2]
  --body-bytes N          message size [1024]
  --subscriptions N       publish: SQS subscriptions (one queue each) [1]
  --timeout S             bound on each wait for deliveries [300]
  --settle S              a wait for deliveries ends after S s without one [10]
  --endpoints N           http-fanout: HTTP subscriptions, one receiver each [16]
  --fanout-messages N     http-fanout: publishes of the throughput phase [10000]
  --fanout-connections N  http-fanout: connections of the throughput phase [16]
  --fanout-rate R         http-fanout: paced publishes/s [half the throughput phase's]
)";

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "sluice-sns-loadgen: " << why << "\n" << kUsage;
  std::exit(2);
}

template <typename T>
T number(const std::string& flag, const std::string& text) {
  T value{};
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || p != text.data() + text.size()) usage("bad value for " + flag + ": " + text);
  return value;
}

// One human line per run on stderr, so a long benchmark shows progress.
void print_summary(const nlohmann::json& r, std::ostream& err) {
  auto get = [&](const char* key) { return r.contains(key) ? r[key].dump() : std::string("-"); };
  char line[512];
  std::snprintf(line, sizeof line, "  %-11s %-15s subs %-3s rep %-3s", r.value("scenario", "").c_str(),
                r.value("system", "").c_str(), get("subscriptions").c_str(), get("rep").c_str());
  err << line;
  if (r.value("scenario", "") == "publish" && r.contains("rate")) {
    std::snprintf(line, sizeof line, " %8.0f publish/s p50 %6.2f ms p99 %6.2f ms | delivered %.0f/s, lag %.2f s",
                  r.value("rate", 0.0), r.value("p50_us", 0.0) / 1000, r.value("p99_us", 0.0) / 1000,
                  r.value("delivered_rate", 0.0), r.value("delivery_lag_seconds", 0.0));
    err << line;
  } else if (r.contains("rate")) {
    std::snprintf(line, sizeof line, " %8.0f notif/s | paced %.0f publish/s: p50 %6.2f ms p99 %6.2f ms",
                  r.value("rate", 0.0), r.value("paced_rate", 0.0), r.value("p50_us", 0.0) / 1000,
                  r.value("p99_us", 0.0) / 1000);
    err << line;
  }
  err << "  errors " << get("errors") << "  " << r.value("status", "");
  if (r.contains("verify")) err << "  verify " << r.value("verify", "");
  if (r.value("verify", "ok") != "ok" && r.contains("shortfall")) err << " (" << r["shortfall"].dump() << " missing)";
  if (r.contains("error_samples") && !r["error_samples"].empty()) {
    err << "\n    first error: " << r["error_samples"][0].value("error", "");
  }
  err << std::endl;
}

}  // namespace
}  // namespace sluice::bench

int main(int argc, char** argv) {
  using namespace sluice::bench;
  if (argc < 2) usage("missing command");
  std::string command = argv[1];
  if (command == "ports") {
    if (argc != 3) usage("ports N");
    return print_free_ports(number<int>("N", argv[2]));
  }

  SnsOptions o;
  std::map<std::string, std::string> labels;
  std::string results_file, run_id;
  for (int i = 2; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) usage("missing value for " + flag);
    std::string value = argv[++i];
    if (flag == "--host") o.host = value;
    else if (flag == "--port") o.port = number<uint16_t>(flag, value);
    else if (flag == "--threads") o.threads = number<int>(flag, value);
    else if (flag == "--connections") o.connections = number<int>(flag, value);
    else if (flag == "--duration") o.duration_s = number<double>(flag, value);
    else if (flag == "--warmup") o.warmup_s = number<double>(flag, value);
    else if (flag == "--body-bytes") o.body_bytes = number<size_t>(flag, value);
    else if (flag == "--subscriptions") o.subscriptions = number<int>(flag, value);
    else if (flag == "--timeout") o.timeout_s = number<double>(flag, value);
    else if (flag == "--settle") o.settle_s = number<double>(flag, value);
    else if (flag == "--endpoints") o.endpoints = number<int>(flag, value);
    else if (flag == "--fanout-messages") o.fanout_messages = number<uint64_t>(flag, value);
    else if (flag == "--fanout-connections") o.fanout_connections = number<int>(flag, value);
    else if (flag == "--fanout-rate") o.fanout_rate = number<double>(flag, value);
    else if (flag == "--results") results_file = value;
    else if (flag == "--run-id") run_id = value;
    else if (flag == "--label") {
      auto eq = value.find('=');
      if (eq == std::string::npos) usage("--label wants key=value");
      labels[value.substr(0, eq)] = value.substr(eq + 1);
    } else {
      usage("unknown option " + flag);
    }
  }

  if (command == "report") {
    if (results_file.empty() || run_id.empty()) usage("report needs --results and --run-id");
    return print_sns_report(results_file, run_id, std::cout);
  }
  if (o.port == 0) usage("--port is required");
  if (o.threads < 1 || o.connections < 1 || o.subscriptions < 1 || o.endpoints < 1 || o.endpoints > 100 ||
      o.fanout_connections < 1 || o.fanout_messages < 1) {
    usage("counts must be >= 1 (--endpoints at most 100)");
  }

  nlohmann::json out;
  if (command == "publish") out = run_publish(o);
  else if (command == "http-fanout") out = run_http_fanout(o);
  else usage("unknown command " + command);

  // The generator's own CPU time over the whole run (receivers included): its share of the 2 cores.
  out["generator_cpu_seconds"] = generator_cpu_seconds();
  for (const auto& [key, value] : labels) out[key] = label_value(value);
  std::cout << out.dump() << std::endl;
  print_summary(out, std::cerr);
  return 0;
}
