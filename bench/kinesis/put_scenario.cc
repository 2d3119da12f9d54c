// put: PutRecords of 100 × 1 KiB random records on N keep-alive connections,
// closed loop, for a window after a warm-up. Counts the records the server
// acknowledged with a SequenceNumber in replies that arrived in the window.

#include "bench/kinesis/put_phase.h"
#include "bench/kinesis/scenarios.h"
#include "bench/kinesis/stream_setup.h"

namespace sluice::bench {

nlohmann::json run_put(const KinesisOptions& o) {
  nlohmann::json out = {{"scenario", "put"}};
  std::string stream = o.stream.empty() ? "bench-put" : o.stream;
  BlockingClient setup(o.host, o.port);
  StreamInfo info = ensure_stream(setup, stream, o.shards, 60);
  if (!info.ok) {
    fail_run(out, "error", info.error);
    return out;
  }
  PutResult r = put_for_window(o, stream);

  out["stream"] = stream;
  out["shards"] = info.shard_ids.size();
  out["stream_active_seconds"] = info.active_seconds;
  out["connections"] = o.connections;
  out["threads"] = o.threads;
  out["batch"] = o.batch;
  out["record_bytes"] = o.record_bytes;
  out["seconds"] = o.duration_s;
  out["warmup_seconds"] = o.warmup_s;
  out["requests"] = r.requests;
  out["records"] = r.acknowledged;
  out["rate"] = static_cast<double>(r.acknowledged) / o.duration_s;
  out["rate_unit"] = "records/s";
  out["mib_per_s"] =
      static_cast<double>(r.acknowledged) * static_cast<double>(o.record_bytes) / o.duration_s / (1024.0 * 1024.0);
  r.stats.add_latency(out);
  out["throttled_records"] = r.throttled;
  out["failed_records"] = r.failed;
  nlohmann::json shards = nlohmann::json::object();
  for (const auto& [id, n] : r.per_shard.all()) shards[id] = n;
  out["per_shard"] = shards;
  out["shards_written"] = r.per_shard.all().size();
  out["connects"] = r.connects;
  out["errors"] = r.stats.errors;
  out["error_samples"] = r.stats.error_samples();
  out["status"] = r.stats.errors == 0 && r.requests > 0 ? "ok" : "errors";
  if (r.requests == 0 && r.stats.errors == 0) fail_run(out, "errors", "no PutRecords reply in the window");
  return out;
}

}  // namespace sluice::bench
