// get: fills a stream with PutRecords, then reads every shard from TRIM_HORIZON
// to its end, one GetRecords chain per shard at once. Every record acknowledged
// by the fill must be read, shard by shard, no more and no fewer: a read that
// comes up short is a FAIL, not a figure.

#include "bench/kinesis/get_chains.h"
#include "bench/kinesis/put_phase.h"
#include "bench/kinesis/scenarios.h"
#include "bench/kinesis/stream_setup.h"

#include <iostream>

namespace sluice::bench {
namespace {

// "ok", or what does not match between the fill's acknowledgements and the read.
std::string compare_counts(const kinesis::ShardCounts& written, const kinesis::ShardCounts& read) {
  std::string diff;
  for (const auto& [id, n] : written.all()) {
    if (read.of(id) != n) {
      diff += (diff.empty() ? "" : ", ") + id + " read " + std::to_string(read.of(id)) + " of " + std::to_string(n);
    }
  }
  for (const auto& [id, n] : read.all()) {
    if (n > 0 && written.of(id) == 0) diff += (diff.empty() ? "" : ", ") + id + " read " + std::to_string(n) + " of 0";
  }
  return diff.empty() ? "ok" : diff;
}

}  // namespace

nlohmann::json run_get(const KinesisOptions& o) {
  nlohmann::json out = {{"scenario", "get"}};
  std::string stream = o.stream.empty() ? "bench-get" : o.stream;
  BlockingClient setup(o.host, o.port);
  StreamInfo info = ensure_stream(setup, stream, o.shards, 60);
  if (!info.ok) {
    fail_run(out, "error", info.error);
    return out;
  }
  out["stream"] = stream;
  out["shards"] = info.shard_ids.size();
  out["connections"] = o.connections;
  out["batch"] = o.batch;
  out["record_bytes"] = o.record_bytes;
  out["limit"] = o.limit;

  PutResult fill = put_records(o, stream, o.records);
  add_fill(out, fill, o.records);
  ReadResult read = read_shards(o, stream, info.shard_ids, &fill.per_shard);

  out["records"] = read.records;
  out["read_seconds"] = read.seconds;
  out["rate"] = read.seconds > 0 ? static_cast<double>(read.records) / read.seconds : 0;
  out["rate_unit"] = "records/s";
  out["mib_per_s"] = read.seconds > 0 ? static_cast<double>(read.records) * static_cast<double>(o.record_bytes) /
                                            read.seconds / (1024.0 * 1024.0)
                                      : 0;
  out["calls"] = read.calls;
  out["empty_calls"] = read.empty_calls;
  out["records_per_call"] = read.calls > 0 ? static_cast<double>(read.records) / static_cast<double>(read.calls) : 0;
  read.stats.add_latency(out);
  out["out_of_order_batches"] = read.out_of_order;
  out["data_wrong_size"] = read.data_wrong_size;
  RunStats errors = fill.stats;
  errors.merge(read.stats);
  if (read.out_of_order > 0) errors.error("GetRecords batches whose sequence numbers did not increase");
  if (read.data_wrong_size > 0) errors.error("records whose Data is not " + std::to_string(o.record_bytes) + " bytes");
  std::string verify =
      fill.acknowledged_all == 0 ? "nothing was written" : compare_counts(fill.per_shard, read.per_shard);
  out["verify"] = verify == "ok" ? "ok" : "FAIL";
  if (verify != "ok") {
    out["verify_detail"] = verify;
    std::cerr << "get: FAIL: read " << read.records << " records of the " << fill.acknowledged_all
              << " acknowledged: " << verify << std::endl;
  }
  out["errors"] = errors.errors;
  out["error_samples"] = errors.error_samples();
  out["status"] = verify != "ok" ? "FAIL" : errors.errors == 0 ? "ok" : "errors";
  return out;
}

}  // namespace sluice::bench
