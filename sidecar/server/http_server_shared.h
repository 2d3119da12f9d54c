#pragma once
// What an HttpServer's connections share with it, over HTTP/1.1
// (http_server.cc) and HTTP/2 (http2_connection.cc) alike. Internal to the
// server; outlives it while connections remain (they hold it, not the server).

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "sidecar/server/http_server.h"

namespace sluice::server {

struct HttpServer::Shared {
  Shared(HttpServerOptions o, HttpHandler h) : options(std::move(o)), handler(std::move(h)) {}

  const HttpServerOptions options;
  const HttpHandler handler;
  std::atomic<int> in_flight{0};
  std::atomic<size_t> connections{0};
  std::atomic<bool> draining{false};  // after stop_accepting(): answers close their connection

  // HTTP/2 connections hear of the drain through a hook (which posts to their
  // loop): they have no next answer to say `Connection: close` on.
  uint64_t on_drain(std::function<void()> hook) {
    std::unique_lock lock(mu_);
    uint64_t id = ++last_hook_;
    if (!draining.load()) {
      hooks_.emplace(id, std::move(hook));
      return id;
    }
    lock.unlock();
    hook();
    return id;
  }
  void forget_drain_hook(uint64_t id) {
    std::lock_guard lock(mu_);
    hooks_.erase(id);
  }
  void drain() {
    std::lock_guard lock(mu_);
    draining.store(true);
    for (auto& [id, hook] : hooks_) hook();
    hooks_.clear();
  }

 private:
  std::mutex mu_;
  uint64_t last_hook_ = 0;
  std::unordered_map<uint64_t, std::function<void()>> hooks_;
};

}  // namespace sluice::server
