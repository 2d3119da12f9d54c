#pragma once

// The load generator's scenarios. Each returns one JSON object describing the run
// (figures, errors, verification); loadgen.cc prints it as one JSON line.

#include "bench/sqs/loadgen_common.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace sluice::bench {

struct Options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int threads = 1;         // io_context threads of the generator
  int connections = 16;    // send, and the fill phases
  int consumers = 8;       // drain
  double duration_s = 10;  // send: measured window
  double warmup_s = 2;     // send: before the window
  size_t body_bytes = 1024;
  uint64_t messages = 200000;  // drain, fill
  std::string queue;           // queue name; each scenario has a default
  double timeout_s = 600;      // bound on fill, drain and recover phases
  uint64_t expect = 0;         // recover: acknowledged backlog to find again
  int64_t since_ns = 0;        // recover: CLOCK_REALTIME when the restart began
  uint64_t queues = 0;         // stall / bulk-create: queues to create (0: the scenario's default)
  int create_connections = 4;  // bulk-create (stall creates on one)
  uint64_t block = 1000;       // bulk-create: queues per timed block
  std::string mix = "create";  // stall / bulk-create: create[,attributes][,tags] per queue
};

// SendMessage with one body over `connections` keep-alive connections.
nlohmann::json run_send(const Options& o);
// Fill with SendMessageBatch, then drain with ReceiveMessage + DeleteMessageBatch
// consumers, then check the queue is empty.
nlohmann::json run_drain(const Options& o);
// Fill only (the memory scenario's first half).
nlohmann::json run_fill(const Options& o);
// Poll until the restarted server serves the queue again, then check the backlog.
nlohmann::json run_recover(const Options& o);
// SendMessage as in run_send, with one more connection creating queues in the
// middle; SendMessage latency during the creates against a window before them.
nlohmann::json run_stall(const Options& o);
// CreateQueue of many queues, timed per block of `block`, then ListQueues of all.
nlohmann::json run_bulk_create(const Options& o);

}  // namespace sluice::bench
