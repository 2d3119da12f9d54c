#pragma once
// Runs tasks one at a time, in submission order, without ever blocking a thread:
// a task gets a `done` callable and calls it when its work is over, possibly
// later and from another thread (a store's commit callback). The next task then
// runs on the thread that called `done`. Control-plane changes go through one
// Sequencer, so that they see each other's results while the data plane never
// waits for them.
//
// A task that finishes inline (calls `done` before returning) does not recurse
// into the next: the loop below carries on, so any number of synchronous tasks
// run in constant stack depth.
//
// Threading: submit() and done() may be called from any thread. No lock is held
// while a task runs.

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace sluice {

class Sequencer {
 public:
  using Done = std::function<void()>;
  using Task = std::function<void(Done done)>;

  void submit(Task task) {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
      if (running_) return;
      running_ = true;
    }
    drain();
  }

  // Tasks waiting or running.
  size_t pending() const {
    std::lock_guard lock(mu_);
    return tasks_.size() + (running_ ? 1 : 0);
  }

 private:
  // 0: the task is running; 1: it finished while its caller was still in it;
  // 2: its caller returned first, so whoever finishes it runs the next task.
  enum : int { kRunning = 0, kFinished = 1, kDetached = 2 };

  void drain() {
    for (;;) {
      Task task;
      {
        std::lock_guard lock(mu_);
        if (tasks_.empty()) {
          running_ = false;
          return;
        }
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      auto state = std::make_shared<std::atomic<int>>(kRunning);
      task([this, state] {
        if (state->exchange(kFinished) == kDetached) drain();
      });
      if (state->exchange(kDetached) == kFinished) continue;  // finished inline
      return;
    }
  }

  mutable std::mutex mu_;
  std::deque<Task> tasks_;
  bool running_ = false;
};

}  // namespace sluice
