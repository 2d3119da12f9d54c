#include "operator/controller/controller.h"

#include <iostream>

namespace sluice::controller {

Controller::Controller(std::string kind, Informer& informer, Reconciler& reconciler, int workers,
                       std::chrono::seconds resync, ControllerObserver observer)
    : kind_(std::move(kind)),
      informer_(informer),
      reconciler_(reconciler),
      workers_(workers),
      resync_(resync),
      observer_(std::move(observer)) {
  reconciler_.requeue = [this](const std::string& key) { queue_.add(key); };
}

Controller::~Controller() { stop(); }

void Controller::enqueue_all() {
  for (const auto& key : informer_.keys()) queue_.add(key);
}

void Controller::start() {
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { work(); });
  resync_thread_ = std::thread([this] {
    auto next = std::chrono::steady_clock::now() + resync_;
    while (!stop_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (observer_.queue_depth) observer_.queue_depth(kind_, queue_.depth());
      if (std::chrono::steady_clock::now() >= next) {
        enqueue_all();
        next = std::chrono::steady_clock::now() + resync_;
      }
    }
  });
}

void Controller::stop() {
  if (stop_.exchange(true)) return;
  queue_.shutdown();
  for (auto& t : threads_) t.join();
  if (resync_thread_.joinable()) resync_thread_.join();
}

void Controller::work() {
  while (auto key = queue_.get()) {
    auto started = std::chrono::steady_clock::now();
    ReconcileResult result;
    try {
      result = reconciler_.reconcile(*key);
    } catch (const std::exception& e) {
      result = ReconcileResult::failed(std::string("exception: ") + e.what());
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (observer_.reconciled) observer_.reconciled(kind_, !result.error, seconds);
    if (result.error) {
      std::cerr << "sluice-operator: " << kind_ << " " << *key << ": " << *result.error << "\n";
      queue_.add_rate_limited(*key);
    } else {
      queue_.forget(*key);
      if (result.requeue_after) queue_.add_after(*key, *result.requeue_after);
    }
    queue_.done(*key);
  }
}

}  // namespace sluice::controller
