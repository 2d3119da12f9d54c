#pragma once
// Per-queue counters behind the CloudWatch SQS metrics. The engine only bumps
// atomics; the sidecar's metrics module reads them at scrape time, so no
// Prometheus code runs on the request path.

#include <atomic>
#include <cstdint>

namespace sluice::queue {

struct QueueProbe {
  std::atomic<uint64_t> messages_sent{0};
  std::atomic<uint64_t> messages_received{0};
  std::atomic<uint64_t> messages_deleted{0};
  std::atomic<uint64_t> empty_receives{0};
  std::atomic<uint64_t> sent_bytes{0};
  std::atomic<uint64_t> messages_redriven{0};  // moved to the dead-letter queue
  std::atomic<uint64_t> messages_expired{0};   // removed by the retention period

  void sent(uint64_t bytes) {
    messages_sent.fetch_add(1, std::memory_order_relaxed);
    sent_bytes.fetch_add(bytes, std::memory_order_relaxed);
  }
  void received(uint64_t n) { messages_received.fetch_add(n, std::memory_order_relaxed); }
  void deleted(uint64_t n) { messages_deleted.fetch_add(n, std::memory_order_relaxed); }
  void empty_receive() { empty_receives.fetch_add(1, std::memory_order_relaxed); }
};

}  // namespace sluice::queue
