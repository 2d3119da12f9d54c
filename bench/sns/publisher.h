#pragma once

// The publishing side of the SNS scenarios: connections sending Publish, either
// closed loop (each connection sends the next Publish when the reply to the last
// arrives) or paced (open loop at a fixed rate on a bounded set of connections).
//
// Lifecycle: constructed with the caller's io_context, start()ed once, read with
// tally() after that io_context has run out of work. Each connection has one
// request in flight, so its handlers never overlap; what they share are atomics.

#include "bench/sns/sns_query.h"
#include "bench/sqs/http_connection.h"
#include "bench/sqs/loadgen_common.h"
#include "bench/sqs/run_stats.h"
#include "bench/sqs/watchdog.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace sluice::bench {

// What a set of publishing connections observed.
struct PublishTally {
  RunStats window;            // latency and count of the publishes answered inside the window; all errors
  uint64_t acknowledged = 0;  // every Publish answered 200 with a MessageId, warm-up included
  Clock::time_point first_sent{};
  Clock::time_point last_reply{};
  uint64_t connects = 0;
  bool timed_out = false;  // the server stopped answering
};

class PublishConnection;

class ClosedLoopPublishers {
 public:
  // `connections` connections send from start() until `stop_at` or until `budget`
  // publishes have been sent (0: no budget); replies inside [window_start,
  // window_end) are counted and timed.
  ClosedLoopPublishers(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& server,
                       const std::string& request, int connections, Clock::time_point window_start,
                       Clock::time_point window_end, Clock::time_point stop_at, uint64_t budget);
  ~ClosedLoopPublishers();
  void start();
  PublishTally tally() const;

 private:
  friend class PublishConnection;
  bool take_ticket();  // false once the budget is spent or stop_at passed

  boost::asio::io_context& io_;
  Clock::time_point window_start_, window_end_, stop_at_;
  uint64_t budget_;
  std::atomic<uint64_t> issued_{0};
  std::atomic<int> active_{0};
  std::vector<std::unique_ptr<PublishConnection>> connections_;
  std::unique_ptr<Watchdog> watchdog_;
  Clock::time_point started_{};
};

// REQUIRES: the io_context runs on one thread (the pacing state is not shared).
class PacedPublishers {
 public:
  // Publishes `rate` per second for `duration` from start(), the i-th one due at
  // start + i / rate, on the first free one of at most `max_connections`
  // connections; a publish waiting for a free connection keeps its due time, so
  // its latency includes the wait.
  PacedPublishers(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& server, const std::string& request,
                  int max_connections, double rate, double duration_s);
  ~PacedPublishers();
  void start();
  PublishTally tally() const;
  uint64_t planned() const { return total_; }
  // Publishes sent later than 1 ms after they were due (no free connection).
  uint64_t late() const { return late_; }

 private:
  friend class PublishConnection;
  void tick();
  void send_due(PublishConnection& c);  // sends the next due publish on c, or parks it
  Clock::time_point due_at(uint64_t i) const;
  uint64_t due_by(Clock::time_point now) const;

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  double rate_;
  uint64_t total_;
  uint64_t next_ = 0;  // the next publish to send
  uint64_t late_ = 0;
  Clock::time_point start_{};
  std::atomic<int> active_{0};
  std::vector<std::unique_ptr<PublishConnection>> connections_;
  std::vector<PublishConnection*> idle_;
  std::unique_ptr<Watchdog> watchdog_;
};

}  // namespace sluice::bench
