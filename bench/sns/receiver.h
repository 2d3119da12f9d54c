#pragma once

// The HTTP endpoints of the http-fanout scenario: `endpoints` loopback listeners
// (one port each, as 16 webhook services would be) on a thread of their own.
// Each answers every POST with 200 at once. A SubscriptionConfirmation's
// SubscribeURL is kept for the scenario to visit; a Notification (or a POST
// without x-amz-sns-message-type, as moto sends them) is scanned for the
// message's stamp (sns_query.h), counted for its phase and timed: receive time
// minus the time stamped by the publisher, on the same steady clock.
//
// Lifecycle: start() once, stop() once (joins the thread); latency() and
// per_endpoint() are read after stop(). Counters read while running are atomics;
// the histograms belong to the receiver thread until stop().

#include "bench/sqs/latency_histogram.h"
#include "bench/sqs/loadgen_common.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sluice::bench {

class NotificationReceiver {
 public:
  static constexpr int kPhases = 2;

  explicit NotificationReceiver(int endpoints);
  ~NotificationReceiver();

  void start();
  void stop();

  // The URL of endpoint i: http://127.0.0.1:<port>/endpoint/<i>
  std::string url(int i) const;
  int endpoints() const { return static_cast<int>(acceptors_.size()); }

  // SubscribeURLs received since the last call, with the endpoint that got each.
  std::vector<std::pair<int, std::string>> take_confirmations();

  uint64_t received(int phase) const { return received_[phase].load(); }
  // Steady-clock nanoseconds of the last notification of the phase (0: none yet).
  int64_t last_received_nanos(int phase) const { return last_nanos_[phase].load(); }
  // POSTs that were neither a confirmation nor a stamped notification, or were malformed.
  uint64_t unexpected() const { return unexpected_.load(); }
  std::string first_unexpected() const;

  // After stop():
  const LatencyHistogram& latency(int phase) const { return latency_[phase]; }
  // Notifications of the phase that each endpoint received.
  std::vector<uint64_t> per_endpoint(int phase) const;

 private:
  class Session;
  void accept(int endpoint);
  void on_request(int endpoint, std::string_view type, std::string_view body);
  void note_unexpected(std::string what);

  boost::asio::io_context io_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  std::vector<uint16_t> ports_;
  std::thread thread_;
  bool stopped_ = false;

  std::array<std::atomic<uint64_t>, kPhases> received_{};
  std::array<std::atomic<int64_t>, kPhases> last_nanos_{};
  std::array<LatencyHistogram, kPhases> latency_{};
  std::vector<std::array<uint64_t, kPhases>> per_endpoint_;
  std::atomic<uint64_t> unexpected_{0};

  mutable std::mutex mu_;  // guards the two below
  std::vector<std::pair<int, std::string>> confirmations_;
  std::string first_unexpected_;
};

}  // namespace sluice::bench
