#pragma once

// The Kinesis load generator's scenarios. Each returns one JSON object describing
// the run (figures, errors, verification); loadgen.cc prints it as one JSON line.

#include "bench/sqs/loadgen_common.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace sluice::bench {

struct KinesisOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int threads = 1;         // io_context threads of the generator
  int connections = 16;    // put, and the fills of get and retain
  double duration_s = 10;  // put: measured window
  double warmup_s = 2;     // put: before the window
  std::string stream;      // stream name; each scenario has a default
  int shards = 4;          // of a stream the scenario creates
  int batch = 100;         // records per PutRecords
  size_t record_bytes = 1024;
  uint64_t records = 200000;  // get, retain-fill: records to put before reading
  int limit = 10000;          // GetRecords Limit
  double timeout_s = 600;     // bound on each fill, read and recovery phase
  // retain-fill: the server whose VmRSS is sampled, and how long after the fill
  // it is sampled once more.
  int server_pid = 0;
  double settle_s = 5;
  // recover
  uint64_t expect = 0;    // records acknowledged before the kill
  int64_t since_ns = 0;   // CLOCK_REALTIME when the restart began
  bool read_back = true;  // read every record after the restart and count them
};

// PutRecords (batch × record_bytes) on N connections, closed loop, for a window.
nlohmann::json run_put(const KinesisOptions& o);
// A fill of `records`, then one GetRecords chain per shard from TRIM_HORIZON until
// every shard is read to its end; every acknowledged record must be read.
nlohmann::json run_get(const KinesisOptions& o);
// retain, first half: fill `records`, sampling the server's VmRSS.
nlohmann::json run_retain_fill(const KinesisOptions& o);
// retain, second half (after kill -9 and a restart): time until ListShards and
// then GetRecords succeed, and read everything back.
nlohmann::json run_recover(const KinesisOptions& o);

}  // namespace sluice::bench
