#include "sidecar/sidecar.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "runtime/storage/memory_store.h"
#include "runtime/storage/rocks_store.h"
#include "sidecar/admin/admin_api.h"
#include "sidecar/aws/endpoint.h"
#include "sidecar/manifests/manifest_loader.h"
#include "sidecar/metrics/metrics.h"
#include "sidecar/metrics/store_metrics.h"
#include "sidecar/module.h"
#include "sidecar/server/asio_scheduler.h"
#include "sidecar/server/http_client.h"
#include "sidecar/server/http_server.h"
#include "sidecar/server/io_loops.h"

namespace sluice {
namespace {

server::HttpServerOptions server_options(const SidecarOptions& o, uint16_t port, size_t body_limit, std::string name) {
  server::HttpServerOptions s{o.bind, port, body_limit, std::move(name)};
  s.header_timeout = std::chrono::seconds(o.connections.header_timeout_seconds);
  s.body_timeout = std::chrono::seconds(o.connections.body_timeout_seconds);
  s.idle_timeout = std::chrono::seconds(o.connections.idle_timeout_seconds);
  s.max_connections = size_t(o.connections.max_connections);
  return s;
}

// "SQS, query and JSON": the service and the wire protocols its model speaks.
std::string describe(const aws::Service& service) {
  const auto& model = service.model();
  std::string name = model.service();  // acronyms (SQS, SNS) in capitals, names (Kinesis) capitalised
  for (size_t i = 0; i < name.size(); ++i)
    if (i == 0 || name.size() <= 3) name[i] = char(std::toupper(static_cast<unsigned char>(name[i])));
  std::vector<std::string> protocols;
  if (model.speaks(protocol::Protocol::query)) protocols.push_back("query");
  if (model.speaks(protocol::Protocol::json)) protocols.push_back("JSON");
  if (model.speaks(protocol::Protocol::json) && model.json_version() == "1.1") protocols.push_back("CBOR");
  std::string out = name + ",";
  for (size_t i = 0; i < protocols.size(); ++i)
    out += (i == 0 ? " " : i + 1 == protocols.size() ? " and " : ", ") + protocols[i];
  return out;
}

}  // namespace

struct Sidecar::Parts {
  explicit Parts(int threads) : loops(threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()))) {}
  server::IoLoops loops;
  boost::asio::io_context& io = loops.main();
  SystemClock clock;
  server::AsioScheduler scheduler{io, clock};
  std::unique_ptr<storage::RocksStore> store;
  storage::MemoryStore memory;
  // Outbound HTTP/S for the engines (SNS's HTTP/S subscriptions), on the main loop.
  std::unique_ptr<server::AsioHttpClient> http;
  std::vector<std::unique_ptr<Module>> modules;
  metrics::Metrics metrics;
  std::unique_ptr<aws::Endpoint> endpoint;
  std::unique_ptr<admin::AdminApi> admin;
  std::unique_ptr<server::HttpServer> api_server;
  std::unique_ptr<server::HttpServer> admin_server;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
  std::mutex mu;
  std::condition_variable stopped_cv;
  bool stop_requested = false;

  std::vector<resource::Binding*> kinds() const {
    std::vector<resource::Binding*> out;
    for (const auto& m : modules)
      for (auto* k : m->kinds()) out.push_back(k);
    return out;
  }
};

Sidecar::Sidecar(SidecarOptions options)
    : options_(std::move(options)), parts_(std::make_unique<Parts>(options_.threads)) {}

Sidecar::~Sidecar() {
  if (started_) shutdown();
}

uint16_t Sidecar::port() const { return parts_->api_server ? parts_->api_server->port() : 0; }
uint16_t Sidecar::admin_port() const { return parts_->admin_server ? parts_->admin_server->port() : 0; }

int Sidecar::start() {
  Parts& p = *parts_;
  std::error_code ec;
  std::filesystem::create_directories(options_.data_dir, ec);
  std::string error;
  storage::RocksOptions store_options;
  store_options.path = options_.data_dir;
  p.store = storage::RocksStore::open(store_options, &error);
  if (!p.store) {
    std::cerr << "sluice-sidecar: cannot open data directory " << options_.data_dir << ": " << error << "\n";
    return 1;
  }
  p.http = std::make_unique<server::AsioHttpClient>(p.io);
  p.modules = make_modules(ModuleContext{*p.store, p.memory, p.clock, p.scheduler, options_, p.http.get()});
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> recovered;
  for (auto& m : p.modules) {
    auto r = m->recover();
    if (!r.ok()) {
      std::cerr << "sluice-sidecar: cannot recover " << m->name() << " from " << options_.data_dir << ": "
                << r.error().message << "\n";
      return 1;
    }
    recovered.push_back(std::string(m->name()) + ": " + *r);
  }
  auto recovered_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();

  // The API port binds first: the advertised URL of the resources defaults to it.
  std::vector<aws::Service*> services;
  std::string names;
  for (auto& m : p.modules) {
    for (auto* s : m->services()) services.push_back(s);
    for (const auto& c : m->collectors()) p.metrics.add_collectable(c);
    for (const auto* s : m->services()) names += (names.empty() ? "" : "; ") + describe(*s);
  }
  p.metrics.add_collectable(metrics::make_store_collector(*p.store));
  p.endpoint =
      std::make_unique<aws::Endpoint>(services, aws::EndpointOptions{options_.region, options_.account_id}, &p.metrics);
  p.api_server =
      std::make_unique<server::HttpServer>(p.loops, server_options(options_, options_.port, size_t(32) << 20, "aws"),
                                           [this](server::HttpRequest&& req, server::Responder respond) {
                                             parts_->endpoint->handle(std::move(req), std::move(respond));
                                           });
  if (!p.api_server->listen(&error)) {
    std::cerr << "sluice-sidecar: " << error << "\n";
    return 1;
  }
  if (options_.advertise_url.empty()) options_.advertise_url = "http://localhost:" + std::to_string(port());
  const std::string fixed_account = options_.account_per_namespace ? "" : options_.account_id;
  const admin::AdminConfig admin_config{options_.region, fixed_account, options_.advertise_url, options_.to_json()};

  manifests::LoadResult loaded;
  if (!options_.manifests.empty()) {
    manifests::LoadOptions lo{admin_config, {}};
    for (auto kind : operator_only_kinds()) lo.operator_only.emplace_back(kind);
    loaded = manifests::load_manifests(options_.manifests, p.kinds(), lo);
    if (!loaded.ok()) {
      for (const auto& e : loaded.errors) std::cerr << "sluice-sidecar: " << e << "\n";
      std::cerr << "sluice-sidecar: not starting: " << loaded.errors.size() << " error(s) in " << options_.manifests
                << "\n";
      return 2;
    }
  }

  p.admin = std::make_unique<admin::AdminApi>(p.kinds(), p.metrics, admin_config);
  p.admin_server = std::make_unique<server::HttpServer>(
      p.loops, server_options(options_, options_.admin_port, size_t(4) << 20, "admin"),
      [this](server::HttpRequest&& req, server::Responder respond) {
        parts_->admin->handle(std::move(req), std::move(respond));
      });
  if (!p.admin_server->listen(&error)) {
    std::cerr << "sluice-sidecar: " << error << "\n";
    return 1;
  }

  p.signals.async_wait([this](const boost::system::error_code& e, int) {
    if (!e) stop();
  });
  p.loops.start();
  started_ = true;
  p.admin->set_ready(true);

  std::cout << "sluice-sidecar 0.1.0\n"
            << "  AWS APIs (" << names << "):  http://" << options_.bind << ":" << port() << "\n"
            << "  admin (/healthz /readyz /metrics /help): http://" << options_.bind << ":" << admin_port() << "\n"
            << "  data: " << options_.data_dir << " (recovered in " << recovered_ms << " ms)\n";
  for (const auto& line : recovered) std::cout << "    " << line << "\n";
  if (!options_.manifests.empty()) {
    std::cout << "  loaded " << loaded.loaded.size() << " resources from " << options_.manifests << ":\n";
    for (const auto& r : loaded.loaded) std::cout << "    " << r.resource << " -> " << r.detail << "\n";
    for (const auto& r : loaded.skipped) std::cout << "    " << r.resource << ": skipped (" << r.detail << ")\n";
  }
  std::cout.flush();
  return 0;
}

void Sidecar::run() {
  std::unique_lock lock(parts_->mu);
  parts_->stopped_cv.wait(lock, [this] { return parts_->stop_requested; });
  lock.unlock();
  shutdown();
}

void Sidecar::stop() {
  std::lock_guard lock(parts_->mu);
  parts_->stop_requested = true;
  parts_->stopped_cv.notify_all();
}

void Sidecar::shutdown() {
  Parts& p = *parts_;
  p.admin->set_ready(false);
  p.api_server->stop_accepting();
  auto drain = [&p] {
    for (auto& m : p.modules) m->drain();
  };
  drain();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options_.shutdown_grace_seconds);
  while (p.api_server->in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
    drain();  // long polls that arrived meanwhile
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  p.admin_server->stop_accepting();
  p.http->stop();  // deliveries still in flight are answered "client stopped"
  p.scheduler.cancel_all();
  p.loops.stop();
  p.loops.join();
  started_ = false;
  // In reverse: a module may deliver into one made before it (SNS into SQS's queues).
  while (!p.modules.empty()) p.modules.pop_back();
  p.http.reset();
  p.store->flush();
  p.store.reset();
  std::cout << "sluice-sidecar: stopped\n";
}

}  // namespace sluice
