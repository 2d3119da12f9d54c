#include "sidecar/options.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <thread>

#include "runtime/common/arn.h"

namespace sluice {
namespace po = boost::program_options;

std::string SidecarOptions::to_json() const {
  nlohmann::json j = {{"port", port},
                      {"adminPort", admin_port},
                      {"bind", bind},
                      {"dataDir", data_dir},
                      {"manifests", manifests},
                      {"region", region},
                      {"accountId", account_per_namespace ? "" : account_id},
                      {"accountPerNamespace", account_per_namespace},
                      {"advertiseUrl", advertise_url},
                      {"threads", threads},
                      {"durability", std::string(storage::to_string(durability))},
                      {"shutdownGraceSeconds", shutdown_grace_seconds},
                      {"headerTimeoutSeconds", connections.header_timeout_seconds},
                      {"bodyTimeoutSeconds", connections.body_timeout_seconds},
                      {"idleTimeoutSeconds", connections.idle_timeout_seconds},
                      {"maxConnections", connections.max_connections},
                      {"metricsLevel", std::string(metrics::to_string(metrics.level))},
                      {"metricsMaxResources", metrics.max_resources}};
  return j.dump();
}

std::optional<SidecarOptions> parse_options(int argc, char** argv, int* exit_code) {
  SidecarOptions o;
  std::string durability = "sync";
  std::string metrics_level = "resource";
  po::options_description desc(
      "sluice-sidecar: AWS messaging services for Kubernetes and for your laptop.\n"
      "Serves the AWS APIs of its service modules on one port, and an admin API\n"
      "(health, metrics, the operator's resource API) on another.\n\nOptions");
  auto& c = o.connections;
  // clang-format off
  desc.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and exit")
      ("port", po::value(&o.port)->default_value(o.port), "port of the AWS APIs (0: any free port)")
      ("admin-port", po::value(&o.admin_port)->default_value(o.admin_port),
       "port of /healthz, /readyz, /metrics, /help and the admin API (0: any free port)")
      ("bind", po::value(&o.bind)->default_value(o.bind), "address both ports listen on")
      ("data-dir", po::value(&o.data_dir)->default_value(o.data_dir),
       "directory of the durable store (created if missing)")
      ("manifests", po::value(&o.manifests),
       "directory of resource manifests (*.yaml, *.yml) to load at start-up; any error stops the start")
      ("region", po::value(&o.region)->default_value(o.region),
       "region of unsigned requests and of manifests (a signed request's credential scope names its own)")
      ("account-id", po::value(&o.account_id)->default_value(o.account_id),
       "account id of requests whose access key is not an account id, and of every manifest's namespace")
      ("account-per-namespace", po::bool_switch(&o.account_per_namespace),
       "map each Kubernetes namespace to its own account id (derived from its name) instead of --account-id")
      ("advertise-url", po::value(&o.advertise_url),
       "base URL of the resource URLs the admin API reports (default http://localhost:<port>)")
      ("threads", po::value(&o.threads)->default_value(o.threads), "I/O threads (0: one per core)")
      ("durability", po::value(&durability)->default_value(durability),
       "durability of resources created through the AWS APIs: sync (fsync before acknowledging; concurrent "
       "requests share one fsync), periodic (written before acknowledging, fsynced every 200 ms) or memory")
      ("shutdown-grace", po::value(&o.shutdown_grace_seconds)->default_value(o.shutdown_grace_seconds),
       "seconds to finish in-flight requests after SIGTERM")
      ("header-timeout", po::value(&c.header_timeout_seconds)->default_value(c.header_timeout_seconds),
       "seconds a client has to send a request's headers (then 408 and close)")
      ("body-timeout", po::value(&c.body_timeout_seconds)->default_value(c.body_timeout_seconds),
       "seconds a client has to send a request's body once its headers are in")
      ("idle-timeout", po::value(&c.idle_timeout_seconds)->default_value(c.idle_timeout_seconds),
       "seconds a keep-alive connection may sit idle before it is closed")
      ("max-connections", po::value(&c.max_connections)->default_value(c.max_connections),
       "open connections per port; beyond it a new one gets 503 and is closed")
      ("metrics-level", po::value(&metrics_level)->default_value(metrics_level),
       "what /metrics reports: service (one series per service and region), resource (one per resource, up to "
       "--metrics-max-resources of each kind; the rest summed) or shard (also per shard, where there are shards)")
      ("metrics-max-resources", po::value(&o.metrics.max_resources)->default_value(o.metrics.max_resources),
       "resources of each kind with series of their own at --metrics-level resource");
  // clang-format on
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sluice-sidecar: " << e.what() << "\n(see --help)\n";
    *exit_code = 2;
    return std::nullopt;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    *exit_code = 0;
    return std::nullopt;
  }
  if (vm.count("version")) {
    std::cout << "sluice-sidecar 0.1.0\n";
    *exit_code = 0;
    return std::nullopt;
  }
  auto level = metrics::parse_level(metrics_level);
  if (!level) {
    std::cerr << "sluice-sidecar: --metrics-level must be service, resource or shard\n";
    *exit_code = 2;
    return std::nullopt;
  }
  o.metrics.level = *level;
  auto d = storage::parse_durability(durability);
  if (!d) {
    std::cerr << "sluice-sidecar: --durability must be sync, periodic or memory\n";
    *exit_code = 2;
    return std::nullopt;
  }
  o.durability = *d;
  if (!is_account_id(o.account_id)) {
    std::cerr << "sluice-sidecar: --account-id must be 12 digits\n";
    *exit_code = 2;
    return std::nullopt;
  }
  for (auto [name, value] : {std::pair{"--header-timeout", o.connections.header_timeout_seconds},
                             std::pair{"--body-timeout", o.connections.body_timeout_seconds},
                             std::pair{"--idle-timeout", o.connections.idle_timeout_seconds},
                             std::pair{"--max-connections", o.connections.max_connections}}) {
    if (value < 1) {
      std::cerr << "sluice-sidecar: " << name << " must be at least 1\n";
      *exit_code = 2;
      return std::nullopt;
    }
  }
  if (o.threads <= 0) o.threads = int(std::max(1u, std::thread::hardware_concurrency()));
  return o;
}

}  // namespace sluice
