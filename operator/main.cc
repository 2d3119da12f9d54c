// sluice-operator: reconciles Sluice's custom resources into the runtime.
// `sluice-operator --help` lists the flags.

#include <boost/program_options.hpp>

#include <iostream>
#include <tuple>

#include "operator/operator.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  sluice::OperatorOptions o;
  int resync = int(o.resync.count()), refresh = int(o.status_refresh.count()), grace = int(o.unreachable_grace.count());
  po::options_description desc(
      "sluice-operator: reconciles Sluice's resources (sluice.io/v1alpha1) into Sluice runtime pods, reports\n"
      "their addresses, placement and Ready condition in status, and scales workers (WorkerAutoscaler).\n\nOptions");
  // clang-format off
  desc.add_options()
      ("help,h", "print this help and exit")
      ("kubeconfig", po::value(&o.kubeconfig),
       "kubeconfig file; default: in-cluster service account, then $KUBECONFIG, then ~/.kube/config")
      ("namespace", po::value(&o.watch_namespace), "watch only this namespace (default: all namespaces)")
      ("runtime-url", po::value(&o.runtime_urls)->composing(),
       "admin URL of a runtime (repeatable); replaces discovery, for development and tests")
      ("runtime-service", po::value(&o.runtime_service)->default_value(o.runtime_service),
       "headless Service whose endpoints are the runtime pods")
      ("runtime-namespace", po::value(&o.runtime_namespace),
       "namespace of the runtime Service (default: the operator's namespace)")
      ("runtime-admin-port", po::value(&o.runtime_admin_port)->default_value(o.runtime_admin_port),
       "name of the runtime Service's admin port")
      ("metrics-port", po::value(&o.metrics_port)->default_value(o.metrics_port),
       "port of /metrics, /healthz and /readyz (0: any free port)")
      ("metrics-bind", po::value(&o.metrics_bind)->default_value(o.metrics_bind), "address of that port")
      ("leader-elect", po::bool_switch(&o.leader_elect),
       "run only while holding a coordination.k8s.io Lease (for more than one replica)")
      ("leader-election-namespace", po::value(&o.leader_election_namespace),
       "namespace of the Lease (default: the operator's namespace)")
      ("leader-election-id", po::value(&o.leader_election_id)->default_value(o.leader_election_id), "Lease name")
      ("workers", po::value(&o.workers)->default_value(o.workers), "reconcile workers per kind")
      ("resync", po::value(&resync)->default_value(resync), "seconds between full resyncs")
      ("status-refresh", po::value(&refresh)->default_value(refresh),
       "seconds between refreshes of a Ready resource's status (a queue's depth, ...)")
      ("depth-refresh", po::value(&refresh), "the same as --status-refresh (its former name)")
      ("unreachable-grace", po::value(&grace)->default_value(grace),
       "seconds a deletion waits for an unreachable runtime before releasing the resource")
      ("watch-timeout", po::value(&o.watch_timeout_seconds)->default_value(o.watch_timeout_seconds),
       "seconds each watch request lasts before it is renewed");
  // clang-format on
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sluice-operator: " << e.what() << "\n(see --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  // Bounds: a zero here would spin a worker or a refresh loop.
  for (auto [name, value, min] :
       {std::tuple{"--workers", o.workers, 1}, std::tuple{"--resync", resync, 1},
        std::tuple{"--status-refresh", refresh, 1}, std::tuple{"--unreachable-grace", grace, 0},
        std::tuple{"--watch-timeout", o.watch_timeout_seconds, 1}}) {
    if (value < min) {
      std::cerr << "sluice-operator: " << name << " must be at least " << min << "\n";
      return 2;
    }
  }
  o.resync = std::chrono::seconds(resync);
  o.status_refresh = std::chrono::seconds(refresh);
  o.unreachable_grace = std::chrono::seconds(grace);
  sluice::Operator op(std::move(o));
  if (int rc = op.start(); rc != 0) return rc;
  op.run();
  return 0;
}
