// retain (sluice only), in two calls around the script's kill -9 and restart:
// retain-fill puts the backlog and samples the server's VmRSS while it does and
// after; recover measures how soon the restarted server lists the shards and
// returns a record, then reads every shard to its end and counts what is there.

#include "bench/kinesis/get_chains.h"
#include "bench/kinesis/kinesis_json.h"
#include "bench/kinesis/put_phase.h"
#include "bench/kinesis/rss_sampler.h"
#include "bench/kinesis/scenarios.h"
#include "bench/kinesis/stream_setup.h"

#include <iostream>
#include <thread>

namespace sluice::bench {
namespace {

constexpr const char* kDefaultStream = "bench-retain";

double seconds_since_realtime(int64_t since_ns) {
  auto now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return static_cast<double>(now - since_ns) / 1e9;
}

}  // namespace

nlohmann::json run_retain_fill(const KinesisOptions& o) {
  nlohmann::json out = {{"scenario", "retain-fill"}};
  std::string stream = o.stream.empty() ? kDefaultStream : o.stream;
  BlockingClient setup(o.host, o.port);
  StreamInfo info = ensure_stream(setup, stream, o.shards, 60);
  if (!info.ok) {
    fail_run(out, "error", info.error);
    return out;
  }
  out["stream"] = stream;
  out["shards"] = info.shard_ids.size();
  out["connections"] = o.connections;
  out["record_bytes"] = o.record_bytes;

  RssSampler during(o.server_pid);
  if (o.server_pid > 0) during.start();
  PutResult fill = put_records(o, stream, o.records);
  during.stop();
  add_fill(out, fill, o.records);
  out["acknowledged"] = fill.acknowledged_all;
  out["rate"] = out["fill_rate"];
  out["rate_unit"] = "records/s";
  fill.stats.add_latency(out);  // of the fill's PutRecords
  if (o.server_pid > 0) {
    out["rss_during_max_kib"] = during.max_kib();
    out["rss_samples"] = during.samples();
    out["rss_after_kib"] = proc_status_kib(o.server_pid, "VmRSS");
    // Again once the server has had time to flush and compact what it was given.
    std::this_thread::sleep_for(std::chrono::duration<double>(o.settle_s));
    out["rss_settled_kib"] = proc_status_kib(o.server_pid, "VmRSS");
    out["settle_seconds"] = o.settle_s;
    out["vmhwm_kib"] = proc_status_kib(o.server_pid, "VmHWM");
  }
  out["errors"] = fill.stats.errors;
  out["error_samples"] = fill.stats.error_samples();
  out["status"] = fill.timed_out ? "timeout" : fill.stats.errors == 0 ? "ok" : "errors";
  return out;
}

nlohmann::json run_recover(const KinesisOptions& o) {
  nlohmann::json out = {{"scenario", "recover"}};
  std::string stream = o.stream.empty() ? kDefaultStream : o.stream;
  BlockingClient client(o.host, o.port);
  auto deadline = Clock::now() + seconds(o.timeout_s);
  uint64_t attempts = 0;
  std::string last_error;
  auto retry = [&](const std::string& why) {
    ++attempts;
    last_error = why;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Clock::now() < deadline;
  };

  // 1. The stream is known again.
  std::vector<std::string> shards;
  for (;;) {
    std::string error;
    shards = list_shards(client, stream, error, 5);
    if (!shards.empty() || !retry(error)) break;
  }
  if (shards.empty()) {
    fail_run(out, "timeout", "ListShards never succeeded: " + last_error);
    return out;
  }
  out["list_shards_seconds"] = seconds_since_realtime(o.since_ns);

  // 2. A record can be read: the first shard's first record.
  bool served = false;
  for (;;) {
    auto it = kinesis_call(client, "GetShardIterator",
                           kinesis::get_shard_iterator_body(stream, shards.front(), "TRIM_HORIZON"), 5);
    std::string_view iterator = it.ok() ? kinesis::first_string(it.body, "ShardIterator") : std::string_view{};
    if (!iterator.empty()) {
      auto got = kinesis_call(client, "GetRecords", kinesis::get_records_body(iterator, 1), 5);
      if (got.ok() && kinesis::scan_get_records(got.body, 0).records > 0) {
        served = true;
        break;
      }
      if (!retry(got.ok() ? "GetRecords returned no record" : "GetRecords: " + got.describe())) break;
    } else if (!retry("GetShardIterator: " + it.describe())) {
      break;
    }
  }
  out["serving_seconds"] = seconds_since_realtime(o.since_ns);
  out["attempts"] = attempts;
  if (!served) {
    fail_run(out, "timeout", "no record read after the restart: " + last_error);
    return out;
  }

  // 3. Everything acknowledged before the kill is still there, once.
  out["expected_records"] = o.expect;
  if (!o.read_back) {
    out["errors"] = 0;
    out["status"] = "ok";
    return out;
  }
  ReadResult read = read_shards(o, stream, shards, nullptr);
  out["records_after"] = read.records;
  out["read_seconds"] = read.seconds;
  out["read_rate"] = read.seconds > 0 ? static_cast<double>(read.records) / read.seconds : 0;
  bool same = read.records == o.expect && read.out_of_order == 0;
  out["verify"] = same ? "ok" : "FAIL";
  if (!same) {
    std::cerr << "recover: FAIL: read " << read.records << " records after the restart, " << o.expect
              << " were acknowledged before the kill" << (read.out_of_order ? " (and batches out of order)" : "")
              << std::endl;
  }
  out["errors"] = read.stats.errors;
  out["error_samples"] = read.stats.error_samples();
  out["status"] = !same ? "FAIL" : read.stats.errors == 0 ? "ok" : "errors";
  return out;
}

}  // namespace sluice::bench
