#include "sidecar/server/asio_scheduler.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace sluice::server {

struct AsioScheduler::Timer {
  explicit Timer(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
};

AsioScheduler::~AsioScheduler() { cancel_all(); }

void AsioScheduler::post(std::function<void()> fn) { boost::asio::post(io_, std::move(fn)); }

TimerId AsioScheduler::schedule_at(TimeMs at, std::function<void()> fn) {
  auto t = std::make_shared<Timer>(io_);
  TimerId id;
  {
    std::lock_guard lock(mu_);
    id = ++next_;
    timers_[id] = t;
  }
  t->timer.expires_after(std::chrono::milliseconds(std::max<TimeMs>(0, at - clock_.now())));
  t->timer.async_wait([this, id, fn = std::move(fn)](const boost::system::error_code& ec) {
    {
      std::lock_guard lock(mu_);
      timers_.erase(id);
    }
    if (!ec) fn();
  });
  return id;
}

void AsioScheduler::cancel(TimerId id) {
  std::shared_ptr<Timer> t;
  {
    std::lock_guard lock(mu_);
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    t = it->second;
  }
  t->timer.cancel();
}

void AsioScheduler::cancel_all() {
  std::unordered_map<TimerId, std::shared_ptr<Timer>> all;
  {
    std::lock_guard lock(mu_);
    all = timers_;
  }
  for (auto& [id, t] : all) t->timer.cancel();
}

}  // namespace sluice::server
