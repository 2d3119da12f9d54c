#include "bench/sqs/fill_phase.h"

#include "bench/sqs/http_connection.h"
#include "bench/sqs/sqs_json.h"
#include "bench/sqs/watchdog.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace sluice::bench {
namespace {

namespace asio = boost::asio;

constexpr int kBatch = 10;

struct FillShared {
  uint64_t batches = 0;
  const std::string* full_request = nullptr;
  const std::string* last_request = nullptr;  // the final, partial batch (if any)
  int last_entries = kBatch;
  std::atomic<uint64_t> next_batch{0};
  std::atomic<uint64_t> acknowledged{0};
  std::atomic<int> active{0};
};

// One connection taking batch numbers from FillShared until all are sent.
// Owned by fill_queue; one outstanding operation, so handlers never overlap.
class FillWorker {
 public:
  FillWorker(asio::io_context& io, const asio::ip::tcp::endpoint& server, FillShared& shared)
      : conn_(io, server), backoff_(io), shared_(shared) {}

  void start() {
    ++shared_.active;
    next();
  }
  const RunStats& stats() const { return stats_; }

 private:
  void next() {
    batch_ = shared_.next_batch.fetch_add(1);
    if (batch_ >= shared_.batches) {
      --shared_.active;
      return;
    }
    send();
  }

  void send() {
    bool last = batch_ + 1 == shared_.batches;
    entries_ = last ? shared_.last_entries : kBatch;
    started_ = Clock::now();
    conn_.call(last ? *shared_.last_request : *shared_.full_request,
               [this](const boost::system::error_code& ec, const HttpResponse& r) { on_reply(ec, r); });
  }

  void on_reply(const boost::system::error_code& ec, const HttpResponse& r) {
    if (ec || r.status != 200) {
      stats_.error(ec, r);
      // Transport errors back off and resend this batch; HTTP errors move on.
      if (ec && ++transport_failures_ > 300) {
        --shared_.active;  // ~3 s unreachable: the server is gone
        return;
      }
      if (ec) {
        backoff_.expires_after(std::chrono::milliseconds(10));
        backoff_.async_wait([this](const boost::system::error_code&) { send(); });
        return;
      }
      return next();
    }
    transport_failures_ = 0;
    auto outcome = sqs::send_batch_outcome(r.body);
    if (outcome.succeeded + outcome.failed != static_cast<size_t>(entries_)) {
      stats_.error("SendMessageBatch reply accounts for " + std::to_string(outcome.succeeded + outcome.failed) +
                   " of " + std::to_string(entries_) + " entries: " + std::string(r.body.substr(0, 160)));
    } else if (outcome.failed > 0) {
      stats_.error("SendMessageBatch entries failed: " + std::string(r.body.substr(0, 160)));
    }
    shared_.acknowledged += outcome.succeeded;
    stats_.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started_).count());
    ++stats_.ok;
    next();
  }

  HttpConnection conn_;
  asio::steady_timer backoff_;
  FillShared& shared_;
  uint64_t batch_ = 0;
  int entries_ = 0;
  int transport_failures_ = 0;
  Clock::time_point started_;
  RunStats stats_;
};

}  // namespace

FillResult fill_queue(const Options& o, const std::string& queue_url, uint64_t messages) {
  std::string host_port = o.host + ":" + std::to_string(o.port);
  std::string body = sqs::message_body(o.body_bytes);
  std::string full = sqs::request(host_port, "SendMessageBatch", sqs::send_message_batch_body(queue_url, body, kBatch));
  FillShared shared;
  shared.batches = (messages + kBatch - 1) / kBatch;
  shared.last_entries = messages % kBatch == 0 ? kBatch : static_cast<int>(messages % kBatch);
  std::string last =
      sqs::request(host_port, "SendMessageBatch", sqs::send_message_batch_body(queue_url, body, shared.last_entries));
  shared.full_request = &full;
  shared.last_request = &last;

  asio::io_context io;
  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  std::vector<std::unique_ptr<FillWorker>> workers;
  auto begin = Clock::now();
  for (int i = 0; i < o.connections; ++i) {
    workers.push_back(std::make_unique<FillWorker>(io, server, shared));
    workers.back()->start();
  }
  Watchdog watchdog(io, shared.active, begin + seconds(o.timeout_s));
  watchdog.start();
  run_io(io, o.threads);

  FillResult result;
  result.seconds = seconds_between(begin, Clock::now());
  result.acknowledged = shared.acknowledged.load();
  result.timed_out = watchdog.fired();
  for (const auto& w : workers) result.stats.merge(w->stats());
  if (result.timed_out) result.stats.error("fill did not finish within --timeout");
  return result;
}

}  // namespace sluice::bench
