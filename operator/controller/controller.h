#pragma once
// One controller: an informer feeding a work queue, and workers calling a
// reconciler with each key. Reconcilers are level-based: they read the current
// object from the cache and make the world match it, so running one twice, or
// after a missed event, is harmless. Periodic resync enqueues every key again.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "operator/controller/informer.h"
#include "operator/controller/work_queue.h"

namespace sluice::controller {

struct ReconcileResult {
  // Reconcile this key again after the delay (e.g. to refresh a queue's depth).
  std::optional<std::chrono::milliseconds> requeue_after;
  // A failure: the key is retried with per-key backoff, and the message logged.
  std::optional<std::string> error;

  static ReconcileResult done() { return {}; }
  static ReconcileResult after(std::chrono::milliseconds d) { return {d, std::nullopt}; }
  static ReconcileResult failed(std::string why) { return {std::nullopt, std::move(why)}; }
};

class Reconciler {
 public:
  virtual ~Reconciler() = default;
  virtual ReconcileResult reconcile(const std::string& key) = 0;

  // Set by the Controller that runs this reconciler: reconcile another key of the
  // same kind soon, because this one's outcome affects it.
  std::function<void(const std::string& key)> requeue = [](const std::string&) {};
};

// What a controller reports to metrics.
struct ControllerObserver {
  std::function<void(const std::string& kind, bool ok, double seconds)> reconciled;
  std::function<void(const std::string& kind, size_t depth)> queue_depth;
};

class Controller {
 public:
  Controller(std::string kind, Informer& informer, Reconciler& reconciler, int workers, std::chrono::seconds resync,
             ControllerObserver observer);
  ~Controller();

  void start();
  void stop();
  void enqueue(const std::string& key) { queue_.add(key); }
  void enqueue_all();
  const std::string& kind() const { return kind_; }
  WorkQueue& queue() { return queue_; }

 private:
  void work();

  std::string kind_;
  Informer& informer_;
  Reconciler& reconciler_;
  int workers_;
  std::chrono::seconds resync_;
  ControllerObserver observer_;
  WorkQueue queue_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::thread resync_thread_;
};

}  // namespace sluice::controller
