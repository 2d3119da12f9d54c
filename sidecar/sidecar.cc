#include "sidecar/sidecar.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <condition_variable>

#include "runtime/queue/queue_service.h"
#include "runtime/storage/memory_store.h"
#include "runtime/storage/rocks_store.h"
#include "sidecar/admin/admin_api.h"
#include "sidecar/manifests/manifest_loader.h"
#include "sidecar/metrics/metrics.h"
#include "sidecar/metrics/sqs_metrics.h"
#include "sidecar/metrics/store_metrics.h"
#include "sidecar/server/asio_scheduler.h"
#include "sidecar/server/http_server.h"
#include "sidecar/server/io_loops.h"
#include "sidecar/sqs/sqs_api.h"

namespace sluice {

struct Sidecar::Parts {
  explicit Parts(int threads) : loops(threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()))) {}
  server::IoLoops loops;
  boost::asio::io_context& io = loops.main();
  SystemClock clock;
  server::AsioScheduler scheduler{io, clock};
  std::unique_ptr<storage::RocksStore> store;
  storage::MemoryStore memory;
  std::unique_ptr<queue::QueueService> queues;
  metrics::Metrics metrics;
  std::unique_ptr<sqs::SqsApi> sqs;
  std::unique_ptr<admin::AdminApi> admin;
  std::unique_ptr<server::HttpServer> api_server;
  std::unique_ptr<server::HttpServer> admin_server;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
  std::mutex mu;
  std::condition_variable stopped_cv;
  bool stop_requested = false;
};

Sidecar::Sidecar(SidecarOptions options) : options_(std::move(options)), parts_(std::make_unique<Parts>(options_.threads)) {}

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
  queue::QueueServiceOptions qo;
  qo.region = options_.region;
  qo.default_durability = options_.durability;
  p.queues = std::make_unique<queue::QueueService>(qo, *p.store, p.memory, p.clock, p.scheduler);
  auto t0 = std::chrono::steady_clock::now();
  if (auto s = p.queues->recover(); !s.ok()) {
    std::cerr << "sluice-sidecar: cannot recover " << options_.data_dir << ": " << s.error().message << "\n";
    return 1;
  }
  const size_t recovered = p.queues->all().size();
  auto recovered_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();

  const std::string fixed_account = options_.account_per_namespace ? "" : options_.account_id;
  manifests::LoadResult loaded;
  if (!options_.manifests.empty()) {
    loaded = manifests::load_manifests(options_.manifests, *p.queues, {options_.region, fixed_account});
    if (!loaded.ok()) {
      for (const auto& e : loaded.errors) std::cerr << "sluice-sidecar: " << e << "\n";
      std::cerr << "sluice-sidecar: not starting: " << loaded.errors.size() << " error(s) in " << options_.manifests
                << "\n";
      return 2;
    }
  }

  p.metrics.add_collectable(metrics::make_sqs_collector(*p.queues));
  p.metrics.add_collectable(metrics::make_store_collector(*p.store));
  p.sqs = std::make_unique<sqs::SqsApi>(*p.queues, sqs::SqsConfig{options_.region, options_.account_id}, p.metrics);
  p.api_server = std::make_unique<server::HttpServer>(
      p.loops, server::HttpServerOptions{options_.bind, options_.port, size_t(32) << 20, "aws"},
      [this](server::HttpRequest&& req, server::Responder respond) {
        parts_->sqs->handle(std::move(req), std::move(respond));
      });
  if (!p.api_server->listen(&error)) {
    std::cerr << "sluice-sidecar: " << error << "\n";
    return 1;
  }
  if (options_.advertise_url.empty()) options_.advertise_url = "http://localhost:" + std::to_string(port());
  p.admin = std::make_unique<admin::AdminApi>(
      *p.queues, p.metrics,
      admin::AdminConfig{options_.region, fixed_account, options_.advertise_url, options_.to_json()});
  p.admin_server = std::make_unique<server::HttpServer>(
      p.loops, server::HttpServerOptions{options_.bind, options_.admin_port, size_t(4) << 20, "admin"},
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
            << "  AWS APIs (SQS, query and JSON):  http://" << options_.bind << ":" << port() << "\n"
            << "  admin (/healthz /readyz /metrics /help): http://" << options_.bind << ":" << admin_port() << "\n"
            << "  data: " << options_.data_dir << " (" << recovered << " queues recovered in "
            << recovered_ms << " ms)\n";
  if (!options_.manifests.empty()) {
    std::cout << "  loaded " << loaded.loaded.size() << " resources from " << options_.manifests << ":\n";
    for (const auto& r : loaded.loaded)
      std::cout << "    " << r.resource << " -> " << options_.advertise_url << r.detail << "\n";
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
  p.queues->release_waiters();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options_.shutdown_grace_seconds);
  while (p.api_server->in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
    p.queues->release_waiters();  // long polls that arrived meanwhile
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  p.admin_server->stop_accepting();
  p.scheduler.cancel_all();
  p.loops.stop();
  p.loops.join();
  started_ = false;
  p.queues.reset();
  p.store->flush();
  p.store.reset();
  std::cout << "sluice-sidecar: stopped\n";
}

}  // namespace sluice
