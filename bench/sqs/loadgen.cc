// sluice-sqs-loadgen: the SQS load generator of bench/run-sqs.sh.
//
//   sluice-sqs-loadgen send|drain|fill|recover|stall|bulk-create --port P [options]
//                                                                  one JSON line
//   sluice-sqs-loadgen report --results FILE --run-id ID           the tables
//   sluice-sqs-loadgen ports N                                      N free loopback ports
//
// Built to cost much less than the servers it measures: Boost.Asio on one thread
// by default, request bytes built once, replies scanned rather than parsed.

#include "bench/sqs/create_phase.h"
#include "bench/sqs/loadgen_common.h"
#include "bench/sqs/report.h"
#include "bench/sqs/scenarios.h"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

namespace sluice::bench {
namespace {

constexpr const char* kUsage = R"(usage:
  sluice-sqs-loadgen send|drain|fill|recover|stall|bulk-create --port P [options] [--label key=value]...
  sluice-sqs-loadgen report --results FILE --run-id ID
  sluice-sqs-loadgen ports N

options (defaults in brackets):
  --host H          server address [127.0.0.1]
  --threads N       generator threads [1]
  --connections N   send / fill / stall SendMessage connections [16]
  --consumers N     drain consumers [8]
  --duration S      send: measured seconds; stall: seconds of sends before the
                    creates [10]
  --warmup S        send / stall: warm-up seconds [2]
  --body-bytes N    message body size [1024]
  --messages N      drain / fill: messages to load [200000]
  --queue NAME      queue name [bench-send (send, stall) | bench-drain | bench-memory]
  --timeout S       bound on each fill / drain / recover / create phase [600]
  --expect N        recover: acknowledged backlog to find again
  --since-ns T      recover: CLOCK_REALTIME (ns) when the restart began
  --queues N        stall / bulk-create: queues to create [1000 | 10000]
  --create-connections N  bulk-create: connections doing CreateQueue [4]
  --block N         bulk-create: queues per timed block [1000]
  --mix LIST        stall / bulk-create: calls per queue, create[,attributes][,tags]
                    (SetQueueAttributes, TagQueue after each CreateQueue) [create]
)";

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "sluice-sqs-loadgen: " << why << "\n" << kUsage;
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
  std::snprintf(line, sizeof line, "  %-8s %-8s rep %-3s", r.value("scenario", "").c_str(),
                r.value("system", "").c_str(), get("rep").c_str());
  err << line;
  if (r.contains("p99_ratio") || r.contains("during_p99_us")) {
    std::snprintf(line, sizeof line, " SendMessage p99 %7.2f ms before, %7.2f ms during %.0f CreateQueue/s (%.1fx)",
                  r.value("baseline_p99_us", 0.0) / 1000, r.value("during_p99_us", 0.0) / 1000,
                  r.value("create_rate", 0.0), r.value("p99_ratio", 0.0));
    err << line;
  } else if (r.contains("rate")) {
    std::snprintf(line, sizeof line, " %10.0f %-6s p50 %7.2f ms  p99 %7.2f ms", r.value("rate", 0.0),
                  r.value("rate_unit", "").c_str(), r.value("p50_us", 0.0) / 1000, r.value("p99_us", 0.0) / 1000);
    err << line;
  }
  err << "  errors " << get("errors") << "  " << r.value("status", "");
  if (r.contains("serving_seconds")) err << "  serving again after " << r["serving_seconds"].dump() << " s";
  if (r.contains("block_ratio")) {
    std::snprintf(line, sizeof line, "  last/first block %.2f", r.value("block_ratio", 0.0));
    err << line;
  }
  if (r.contains("listed")) err << "  listed " << r["listed"].dump();
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

  Options o;
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
    else if (flag == "--consumers") o.consumers = number<int>(flag, value);
    else if (flag == "--duration") o.duration_s = number<double>(flag, value);
    else if (flag == "--warmup") o.warmup_s = number<double>(flag, value);
    else if (flag == "--body-bytes") o.body_bytes = number<size_t>(flag, value);
    else if (flag == "--messages") o.messages = number<uint64_t>(flag, value);
    else if (flag == "--queue") o.queue = value;
    else if (flag == "--timeout") o.timeout_s = number<double>(flag, value);
    else if (flag == "--expect") o.expect = number<uint64_t>(flag, value);
    else if (flag == "--since-ns") o.since_ns = number<int64_t>(flag, value);
    else if (flag == "--queues") o.queues = number<uint64_t>(flag, value);
    else if (flag == "--create-connections") o.create_connections = number<int>(flag, value);
    else if (flag == "--block") o.block = number<uint64_t>(flag, value);
    else if (flag == "--mix") o.mix = value;
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
    return print_report(results_file, run_id, std::cout);
  }
  if (o.port == 0) usage("--port is required");
  if (o.threads < 1 || o.connections < 1 || o.consumers < 1 || o.create_connections < 1 || o.block < 1) {
    usage("counts must be >= 1");
  }
  if (!parse_create_mix(o.mix)) usage("bad --mix " + o.mix + " (create[,attributes][,tags])");

  nlohmann::json out;
  if (command == "send") out = run_send(o);
  else if (command == "drain") out = run_drain(o);
  else if (command == "fill") out = run_fill(o);
  else if (command == "recover") out = run_recover(o);
  else if (command == "stall") out = run_stall(o);
  else if (command == "bulk-create") out = run_bulk_create(o);
  else usage("unknown command " + command);

  // The generator's own CPU time over the whole run: how much of the 2 cores it took.
  out["generator_cpu_seconds"] = generator_cpu_seconds();
  for (const auto& [key, value] : labels) out[key] = label_value(value);
  std::cout << out.dump() << std::endl;
  print_summary(out, std::cerr);
  return 0;
}
