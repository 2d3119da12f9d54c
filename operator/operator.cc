#include "operator/operator.h"

#include <unistd.h>
#include <boost/asio/signal_set.hpp>

#include <condition_variable>
#include <functional>
#include <iostream>
#include <map>
#include <thread>

#include "operator/autoscaler/workerautoscaler_adapter.h"
#include "operator/controller/controller.h"
#include "operator/controller/events.h"
#include "operator/controller/informer.h"
#include "operator/controller/leader_election.h"
#include "operator/controller/object_meta.h"
#include "operator/controller/resource_reconciler.h"
#include "operator/hosted/hosted_adapter.h"
#include "operator/kinds.h"
#include "operator/kube/kube_client.h"
#include "operator/operator_metrics.h"
#include "operator/runtime/runtime_client.h"
#include "operator/sources.h"
#include "runtime/common/random.h"
#include "sidecar/server/http_server.h"

namespace sluice {

struct Operator::Parts {
  std::unique_ptr<kube::KubeClient> client;
  std::unique_ptr<runtime_client::RuntimeSet> runtimes;
  std::unique_ptr<controller::EventRecorder> events;
  OperatorMetrics metrics;
  server::IoLoops loops{1};  // the metrics and probes server, and signals
  boost::asio::signal_set signals{loops.main(), SIGINT, SIGTERM};
  std::unique_ptr<server::HttpServer> http;
  std::map<std::string, std::unique_ptr<controller::Informer>> informers;  // by kind
  std::map<std::string, std::unique_ptr<autoscaler::MetricSource>> sources;
  std::vector<std::unique_ptr<controller::KindAdapter>> adapters;
  std::vector<std::unique_ptr<controller::Reconciler>> reconcilers;
  std::map<std::string, std::unique_ptr<controller::Controller>> controllers;  // by kind
  std::unique_ptr<controller::LeaderElector> elector;
  std::atomic<bool> stopping{false};
  std::atomic<bool> running{false};
  std::mutex mu;
  std::condition_variable cv;

  // A resource turned Ready: resources of any hosted kind that refer to it and
  // are not Ready yet are looked at now rather than at their next retry (queues
  // applied with their dead-letter queue in one file often arrive first).
  void requeue_referrers(const std::string& kind, const controller::json& object) {
    static const controller::json kNoSpec = controller::json::object();
    auto spec_of = [](const controller::json& o) -> const controller::json& {
      auto it = o.find("spec");
      return it != o.end() && it->is_object() ? *it : kNoSpec;
    };
    const std::string ns = controller::namespace_of(object), name = controller::name_of(object);
    std::string target_engine_name = name;
    for (const resource::KindDef* t : operator_kinds::hosted_kinds())
      if (t->kind == kind) target_engine_name = t->engine_name(spec_of(object), name);
    for (const resource::KindDef* k : operator_kinds::hosted_kinds()) {
      if (!k->references) continue;
      std::vector<std::string> keys;
      // Runs once per resource turning Ready, over the cache without copying it.
      informers.at(k->kind)->for_each([&](const std::string& key, const controller::json& o) {
        if (controller::namespace_of(o) != ns) return;
        auto status = o.find("status");
        const controller::json* ready = status != o.end() ? controller::find_condition(*status, "Ready") : nullptr;
        if (ready && ready->value("status", "") == "True") return;
        for (const auto& ref : k->references(spec_of(o), controller::name_of(o)))
          if (ref.kind == kind && (ref.name == name || ref.name == target_engine_name)) keys.push_back(key);
      });
      for (const auto& key : keys) controllers.at(k->kind)->enqueue(key);  // outside the informer's lock
    }
  }
};

Operator::Operator(OperatorOptions options) : options_(std::move(options)), parts_(std::make_unique<Parts>()) {}

Operator::~Operator() {
  stop();
  parts_->loops.stop();
  parts_->loops.join();
}

uint16_t Operator::metrics_port() const { return parts_->http ? parts_->http->port() : 0; }

int Operator::start() {
  Parts& p = *parts_;
  std::string error;
  auto config = kube::load_kube_config(options_.kubeconfig, &error);
  if (!config) {
    std::cerr << "sluice-operator: " << error << "\n";
    return 2;
  }
  p.client = std::make_unique<kube::KubeClient>(*config);
  auto version = p.client->get("/version");
  if (!version.ok()) {
    std::cerr << "sluice-operator: cannot reach the API server at " << config->server << " (" << config->source
              << "): " << version.describe() << "\n";
    return 1;
  }
  if (options_.runtime_namespace.empty()) options_.runtime_namespace = config->namespace_;
  if (options_.leader_election_namespace.empty()) options_.leader_election_namespace = config->namespace_;

  p.http = std::make_unique<server::HttpServer>(
      p.loops, server::HttpServerOptions{options_.metrics_bind, options_.metrics_port, 1 << 20, "metrics"},
      [this](server::HttpRequest&& req, server::Responder respond) {
        Parts& parts = *parts_;
        if (req.path == "/healthz") return respond(server::text_response(200, "ok\n"));
        // Ready once connected: a standby waiting for the lease is ready too (as in
        // controller-runtime), or a Deployment of two could never finish a rollout.
        if (req.path == "/readyz") return respond(server::text_response(200, "ready\n"));
        if (req.path == "/metrics") {
          parts.metrics.kube_requests(parts.client->requests());
          auto r = server::text_response(200, parts.metrics.scrape());
          r.content_type = "text/plain; version=0.0.4";
          return respond(std::move(r));
        }
        respond(server::text_response(404, "endpoints: /healthz /readyz /metrics\n"));
      });
  if (!p.http->listen(&error)) {
    std::cerr << "sluice-operator: " << error << "\n";
    return 1;
  }
  p.signals.async_wait([this](const boost::system::error_code& e, int) {
    if (!e) stop();
  });
  p.loops.start();

  if (!options_.runtime_urls.empty()) {
    p.runtimes = std::make_unique<runtime_client::RuntimeSet>(options_.runtime_urls);
  } else {
    p.runtimes = std::make_unique<runtime_client::RuntimeSet>(*p.client, options_.runtime_namespace,
                                                              options_.runtime_service, options_.runtime_admin_port);
  }
  p.events = std::make_unique<controller::EventRecorder>(*p.client, "sluice-operator");
  std::cout << "sluice-operator 0.1.0\n"
            << "  API server: " << config->server << " (" << config->source << ")\n"
            << "  watching: " << (options_.watch_namespace.empty() ? "all namespaces" : options_.watch_namespace)
            << "\n  runtimes: "
            << (options_.runtime_urls.empty() ? "Service " + options_.runtime_namespace + "/" + options_.runtime_service
                                              : std::to_string(options_.runtime_urls.size()) + " fixed URL(s)")
            << "\n  metrics and probes: http://" << options_.metrics_bind << ":" << metrics_port() << "\n";
  std::cout.flush();
  return 0;
}

void Operator::run() {
  Parts& p = *parts_;
  if (options_.leader_elect) {
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    controller::LeaderElectionOptions lo;
    lo.ns = options_.leader_election_namespace;
    lo.name = options_.leader_election_id;
    lo.identity = std::string(host) + "_" + uuid4().substr(0, 8);
    p.elector = std::make_unique<controller::LeaderElector>(*p.client, lo);
    std::cout << "sluice-operator: waiting for the lease " << lo.ns << "/" << lo.name << " as " << lo.identity << "\n";
    std::cout.flush();
    if (!p.elector->acquire(p.stopping)) return;
    std::cout << "sluice-operator: leading\n";
    std::cout.flush();
  }
  p.metrics.leader(true);

  // An informer for every kind first, so that adapters and sources can read any of them.
  const std::vector<const resource::KindDef*> kinds = operator_kinds::all_kinds();
  std::map<std::string, controller::Informer*> informers;
  for (const resource::KindDef* k : kinds) {
    controller::InformerOptions io;
    io.ns = options_.watch_namespace;
    io.watch_timeout_seconds = options_.watch_timeout_seconds;
    auto informer = std::make_unique<controller::Informer>(*p.client, controller::resource_type(*k), io);
    informers[k->kind] = informer.get();
    p.informers[k->kind] = std::move(informer);
  }
  p.sources = operator_kinds::make_sources(informers, *p.runtimes);
  std::map<std::string, autoscaler::MetricSource*> sources;
  for (auto& [name, source] : p.sources) sources[name] = source.get();

  // One adapter per kind on the one reconciler shape.
  for (const resource::KindDef* k : operator_kinds::hosted_kinds())
    p.adapters.push_back(std::make_unique<hosted::HostedAdapter>(
        *k, *p.runtimes, hosted::HostedOptions{options_.status_refresh, options_.unreachable_grace}));
  p.adapters.push_back(std::make_unique<autoscaler::WorkerAutoscalerAdapter>(
      operator_kinds::workerautoscaler(), *p.client, *p.events, sources,
      [&p](const std::string& name, const std::string& help, const std::map<std::string, std::string>& labels,
           double value) { p.metrics.gauge(name, help, labels, value); }));
  for (auto& adapter : p.adapters) {
    const std::string kind = adapter->kind().kind;
    controller::Informer* informer = informers[kind];
    auto reconciler = std::make_unique<controller::ResourceReconciler>(
        *p.client, *informer, *p.events, *adapter,
        [&p](const std::string& k, const controller::json& o) { p.requeue_referrers(k, o); });
    controller::ControllerObserver observer{
        [this](const std::string& k, bool ok, double s) { parts_->metrics.reconciled(k, ok, s); },
        [this](const std::string& k, size_t depth) { parts_->metrics.queue_depth(k, depth); }};
    auto ctl = std::make_unique<controller::Controller>(kind, *informer, *reconciler, options_.workers, options_.resync,
                                                        observer);
    informer->on_change([c = ctl.get()](const std::string& key) { c->enqueue(key); });
    p.reconcilers.push_back(std::move(reconciler));
    p.controllers[kind] = std::move(ctl);
  }
  // A runtime that restarted or appeared may need everything re-applied.
  p.runtimes->on_change([this] {
    for (auto& [kind, c] : parts_->controllers) c->enqueue_all();
  });
  for (auto& [kind, c] : p.controllers) c->start();
  for (auto& [kind, i] : p.informers) i->start();
  p.runtimes->start();
  p.running = true;

  bool lost = false;
  std::thread holder;
  if (p.elector) {
    holder = std::thread([this, &lost] {
      if (!parts_->elector->hold(parts_->stopping)) {
        lost = true;
        stop();
      }
    });
  }
  {
    std::unique_lock lock(p.mu);
    p.cv.wait(lock, [&] { return p.stopping.load(); });
  }
  p.running = false;
  for (auto& [kind, c] : p.controllers) c->stop();
  for (auto& [kind, i] : p.informers) i->stop();
  p.runtimes->stop();
  if (holder.joinable()) holder.join();
  p.metrics.leader(false);
  if (lost) {
    // Another replica may be leading already: stop at once rather than act on stale state.
    std::cerr << "sluice-operator: lost the leader lease; exiting\n";
    std::_Exit(1);
  }
  std::cout << "sluice-operator: stopped\n";
}

void Operator::stop() {
  std::lock_guard lock(parts_->mu);
  parts_->stopping = true;
  parts_->cv.notify_all();
}

}  // namespace sluice
