#pragma once
// The sidecar process, assembled: store, engines, front-ends, admin API and
// their HTTP servers on one event loop per thread (server/io_loops.h). main() parses options and runs it;
// tests can run it in-process.
//
// Lifecycle: start() recovers the data directory, loads manifests and binds
// both ports (nothing is served until all of that succeeded); run() serves
// until SIGTERM/SIGINT or stop(); shutdown drains in-flight requests (long
// polls are answered empty), flushes the store and returns.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sidecar/options.h"

namespace sluice {

class Sidecar {
 public:
  explicit Sidecar(SidecarOptions options);
  ~Sidecar();

  // 0 on success; otherwise the exit code (1: runtime failure, 2: bad configuration).
  int start();
  // Serves until a signal or stop(); then shuts down gracefully.
  void run();
  void stop();

  uint16_t port() const;
  uint16_t admin_port() const;

 private:
  struct Parts;
  void shutdown();

  SidecarOptions options_;
  std::unique_ptr<Parts> parts_;
  bool started_ = false;
};

}  // namespace sluice
