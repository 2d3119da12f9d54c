#pragma once
// Command-line settings of sluice-sidecar, declared once with their defaults
// and help (options.cc); `--help` is generated from the same table.

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/storage/durability.h"
#include "sidecar/metrics/metrics.h"

namespace sluice {

struct SidecarOptions {
  uint16_t port = 4566;
  uint16_t admin_port = 4567;
  std::string bind = "0.0.0.0";
  std::string data_dir = ".sluice-data";
  std::string manifests;
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  bool account_per_namespace = false;
  std::string advertise_url;  // default http://localhost:<port>
  int threads = 0;            // 0: one per core
  storage::Durability durability = storage::Durability::sync;
  int shutdown_grace_seconds = 25;
  // Connection hygiene of both ports (see server::HttpServerOptions).
  struct Connections {
    int header_timeout_seconds = 10;
    int body_timeout_seconds = 60;
    int idle_timeout_seconds = 60;
    int max_connections = 10'000;
  } connections;
  metrics::MetricsOptions metrics;
  std::string to_json() const;
};

// Parses argv. Returns nullopt when the process should exit with *exit_code
// (after --help, --version, or a bad flag, which is reported on stderr).
std::optional<SidecarOptions> parse_options(int argc, char** argv, int* exit_code);

}  // namespace sluice
