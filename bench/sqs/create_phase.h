#pragma once

// Creates queues <prefix>00000, <prefix>00001, ... with CreateQueue (and, per the
// mix, SetQueueAttributes and TagQueue on each one) over a number of keep-alive
// connections, one request in flight per connection. Shared by the stall scenario
// (one connection, next to the senders on the same io_context) and bulk-create.
//
// Lifecycle: constructed with the caller's io_context, start()ed once, read after
// that io_context has run out of work. Shared counters are atomics, so the
// connections may run on several io_context threads.

#include "bench/sqs/run_stats.h"
#include "bench/sqs/scenarios.h"

#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::bench {

struct CreateMix {
  bool attributes = false;  // SetQueueAttributes after each CreateQueue
  bool tags = false;        // TagQueue after that
  std::string describe() const;
};

// "create", "create,attributes", "create,tags", "create,attributes,tags"; nullopt
// for anything else.
std::optional<CreateMix> parse_create_mix(const std::string& text);
// The result of a scenario refused for a --mix that parse_create_mix() does not take.
nlohmann::json bad_mix_result(const std::string& scenario, const std::string& text);

class CreateWorker;

class CreatePhase {
 public:
  // `block`: queues per timed block (block_seconds()); 0 for one block.
  CreatePhase(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& server, const std::string& host_port,
              const std::string& prefix, uint64_t queues, int connections, CreateMix mix, uint64_t block);
  ~CreatePhase();

  // The connections send their first request at `at` (at once if it is past) and
  // take no new queue after `deadline`. `active` counts them while they run.
  void start(Clock::time_point at, Clock::time_point deadline, std::atomic<int>& active);

  // Ticks of Clock when the last connection stopped (0 while any still runs):
  // the end of the phase, which the stall senders poll.
  int64_t finished_ticks() const { return finished_.load(); }

  // After the io_context ran out of work:
  Clock::time_point started_at() const { return at_; }
  Clock::time_point finished_at() const { return Clock::time_point(Clock::duration(finished_.load())); }
  uint64_t queues() const { return queues_; }
  uint64_t completed() const { return completed_.load(); }  // queues whose calls all returned
  uint64_t created() const;                                 // CreateQueue replies that were 200 with a QueueUrl
  uint64_t calls() const;                                   // requests answered, every kind
  bool timed_out() const { return timed_out_.load(); }
  // Seconds each consecutive block of `block` completed queues took (the last one
  // may be shorter).
  std::vector<double> block_seconds() const;
  // CreateQueue latency; errors of every call, by kind.
  RunStats stats() const;

 private:
  friend class CreateWorker;
  void queue_done(Clock::time_point now);
  void worker_stopped();

  std::vector<std::string> create_requests_;  // one per queue, built before the start
  std::string host_port_;
  CreateMix mix_;
  uint64_t queues_;
  uint64_t block_;
  Clock::time_point at_;
  Clock::time_point deadline_;
  std::atomic<int>* active_ = nullptr;
  std::atomic<uint64_t> next_{0};
  std::atomic<uint64_t> completed_{0};
  std::atomic<int> running_{0};
  std::atomic<int64_t> finished_{0};
  std::atomic<bool> timed_out_{false};
  std::vector<int64_t> block_done_;  // ticks; element i written once, by one handler
  std::vector<std::unique_ptr<CreateWorker>> workers_;
};

}  // namespace sluice::bench
