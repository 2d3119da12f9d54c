// sluice-kinesis-loadgen: the Kinesis load generator of bench/run-kinesis.sh.
//
//   sluice-kinesis-loadgen put|get|retain-fill|recover --port P [options]   one JSON line
//   sluice-kinesis-loadgen report --results FILE --run-id ID                 the tables
//   sluice-kinesis-loadgen ports N                                           N free loopback ports
//
// Built like sluice-sqs-loadgen to cost much less than the servers it measures:
// Boost.Asio on one thread, request bytes built once per connection, replies
// scanned rather than parsed. SubscribeToShard (HTTP/2 and event streams) is
// measured by kinesis/fanout.mjs with the AWS SDK instead.

#include "bench/kinesis/report.h"
#include "bench/kinesis/scenarios.h"
#include "bench/sqs/loadgen_common.h"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

namespace sluice::bench {
namespace {

constexpr const char* kUsage = R"(usage:
  sluice-kinesis-loadgen put|get|retain-fill|recover --port P [options] [--label key=value]...
  sluice-kinesis-loadgen report --results FILE --run-id ID
  sluice-kinesis-loadgen ports N

options (defaults in brackets):
  --host H            server address [127.0.0.1]
  --threads N         generator threads [1]
  --connections N     PutRecords connections (put, and the fills) [16]
  --duration S        put: measured seconds [10]
  --warmup S          put: warm-up seconds [2]
  --stream NAME       stream [bench-put | bench-get | bench-retain]
  --shards N          shards of the stream made [4]
  --batch N           records per PutRecords [100]
  --record-bytes N    bytes of random data per record [1024]
  --records N         get / retain-fill: records to put first [200000]
  --limit N           GetRecords Limit [10000]
  --timeout S         bound on each fill, read and recovery phase [600]
  --server-pid PID    retain-fill: the server whose VmRSS to sample
  --settle S          retain-fill: VmRSS again this long after the fill [5]
  --expect N          recover: records acknowledged before the kill
  --since-ns T        recover: CLOCK_REALTIME (ns) when the restart began
  --read-back 0|1     recover: read every shard back and count [1]
)";

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "sluice-kinesis-loadgen: " << why << "\n" << kUsage;
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
  std::snprintf(line, sizeof line, "  %-11s %-18s rep %-3s", r.value("scenario", "").c_str(),
                r.value("system", "").c_str(), get("rep").c_str());
  err << line;
  if (r.contains("rate")) {
    std::snprintf(line, sizeof line, " %10.0f %-9s p50 %8.2f ms  p99 %8.2f ms", r.value("rate", 0.0),
                  r.value("rate_unit", "").c_str(), r.value("p50_us", 0.0) / 1000, r.value("p99_us", 0.0) / 1000);
    err << line;
  }
  if (r.contains("fill_records")) err << "  filled " << get("fill_records");
  if (r.contains("rss_during_max_kib")) {
    std::snprintf(line, sizeof line, "  VmRSS max %.0f MiB, after %.0f MiB", r.value("rss_during_max_kib", 0.0) / 1024,
                  r.value("rss_after_kib", 0.0) / 1024);
    err << line;
  }
  if (r.contains("serving_seconds")) err << "  serving again after " << get("serving_seconds") << " s";
  err << "  errors " << get("errors") << "  " << r.value("status", "");
  if (r.contains("verify")) err << "  verify " << r.value("verify", "");
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

  KinesisOptions o;
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
    else if (flag == "--stream") o.stream = value;
    else if (flag == "--shards") o.shards = number<int>(flag, value);
    else if (flag == "--batch") o.batch = number<int>(flag, value);
    else if (flag == "--record-bytes") o.record_bytes = number<size_t>(flag, value);
    else if (flag == "--records") o.records = number<uint64_t>(flag, value);
    else if (flag == "--limit") o.limit = number<int>(flag, value);
    else if (flag == "--timeout") o.timeout_s = number<double>(flag, value);
    else if (flag == "--server-pid") o.server_pid = number<int>(flag, value);
    else if (flag == "--settle") o.settle_s = number<double>(flag, value);
    else if (flag == "--expect") o.expect = number<uint64_t>(flag, value);
    else if (flag == "--since-ns") o.since_ns = number<int64_t>(flag, value);
    else if (flag == "--read-back") o.read_back = number<int>(flag, value) != 0;
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
    return print_kinesis_report(results_file, run_id, std::cout);
  }
  if (o.port == 0) usage("--port is required");
  if (o.threads < 1 || o.connections < 1 || o.shards < 1 || o.limit < 1) usage("counts must be >= 1");
  // AWS's PutRecords limits: 500 records, 1 MiB of data each.
  if (o.batch < 1 || o.batch > 500) usage("--batch must be 1..500");
  if (o.record_bytes < 1 || o.record_bytes > 1024 * 1024) usage("--record-bytes must be 1..1048576");

  nlohmann::json out;
  if (command == "put") out = run_put(o);
  else if (command == "get") out = run_get(o);
  else if (command == "retain-fill") out = run_retain_fill(o);
  else if (command == "recover") out = run_recover(o);
  else usage("unknown command " + command);

  // The generator's own CPU time over the whole run: how much of the 2 cores it took.
  out["generator_cpu_seconds"] = generator_cpu_seconds();
  for (const auto& [key, value] : labels) out[key] = label_value(value);
  std::cout << out.dump() << std::endl;
  print_summary(out, std::cerr);
  return 0;
}
