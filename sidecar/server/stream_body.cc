#include "sidecar/server/stream_body.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace sluice::server {

bool StreamBody::write(std::string bytes) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (closed_ || cancelled_) return false;
    if (bytes.empty()) return true;
    pending_ += bytes.size();
    queue_.push_back(std::move(bytes));
    wake = std::exchange(waiting_, false);
  }
  if (wake) wake_();
  return true;
}

void StreamBody::close() {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (closed_ || cancelled_) return;
    closed_ = true;
    wake = std::exchange(waiting_, false);
  }
  if (wake) wake_();
}

void StreamBody::on_cancel(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (!cancelled_) {
      on_cancel_ = std::move(fn);
      return;
    }
    if (closed_) return;
  }
  fn();
}

size_t StreamBody::pending() const {
  std::lock_guard lock(mu_);
  return pending_;
}

StreamBody::Read StreamBody::read(char* out, size_t max, size_t* n) {
  std::lock_guard lock(mu_);
  *n = 0;
  while (*n < max && !queue_.empty()) {
    const std::string& front = queue_.front();
    size_t take = std::min(max - *n, front.size() - offset_);
    std::memcpy(out + *n, front.data() + offset_, take);
    *n += take;
    offset_ += take;
    if (offset_ == front.size()) {
      queue_.pop_front();
      offset_ = 0;
    }
  }
  pending_ -= *n;
  if (queue_.empty() && closed_) return Read::last;
  if (*n > 0) return Read::data;
  waiting_ = true;
  return Read::wait;
}

void StreamBody::cancel() {
  std::function<void()> fn;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    queue_.clear();
    pending_ = 0;
    offset_ = 0;
    waiting_ = false;
    if (closed_) return;
    fn = std::move(on_cancel_);
  }
  if (fn) fn();
}

}  // namespace sluice::server
