// drain: fill a queue, then consumers loop ReceiveMessage(10, wait 0) +
// DeleteMessageBatch of what they got until every acknowledged message is
// deleted; the rate is acknowledged messages / time to delete them all. Then the
// queue must report nothing visible and nothing in flight.

#include "bench/sqs/blocking_client.h"
#include "bench/sqs/fill_phase.h"
#include "bench/sqs/http_connection.h"
#include "bench/sqs/run_stats.h"
#include "bench/sqs/scenarios.h"
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

// Longer than the default 30 s visibility timeout, so messages whose delete was
// lost come back before a drain is declared stuck.
constexpr auto kStall = std::chrono::seconds(45);

int64_t ticks(Clock::time_point t) { return t.time_since_epoch().count(); }

struct DrainShared {
  uint64_t target = 0;
  std::string host_port;
  std::string queue_url;
  std::string receive_request;
  Clock::time_point deadline;
  std::atomic<uint64_t> deleted{0};
  std::atomic<uint64_t> receives{0};
  std::atomic<uint64_t> empty_receives{0};
  std::atomic<int64_t> last_progress{0};
  std::atomic<int64_t> done_at{0};
  std::atomic<bool> stalled{false};
  std::atomic<bool> timed_out{false};
  std::atomic<int> active{0};
};

// One consumer: ReceiveMessage, then DeleteMessageBatch of what came back, until
// the shared deleted count reaches the target. Owned by run_drain; one
// outstanding operation, so handlers never overlap; shared counters are atomics.
class Consumer {
 public:
  Consumer(asio::io_context& io, const asio::ip::tcp::endpoint& server, DrainShared& shared)
      : conn_(io, server), backoff_(io), shared_(shared) {}

  void start() {
    ++shared_.active;
    receive();
  }
  const RunStats& stats() const { return stats_; }

 private:
  void stop() { --shared_.active; }

  void receive() {
    if (shared_.deleted.load() >= shared_.target) return stop();
    auto now = Clock::now();
    if (now >= shared_.deadline) {
      shared_.timed_out = true;
      return stop();
    }
    if (now - Clock::time_point(Clock::duration(shared_.last_progress.load())) > kStall) {
      shared_.stalled = true;
      return stop();
    }
    started_ = now;
    conn_.call(shared_.receive_request,
               [this](const boost::system::error_code& ec, const HttpResponse& r) { on_receive(ec, r); });
  }

  void on_receive(const boost::system::error_code& ec, const HttpResponse& r) {
    ++shared_.receives;
    if (!ok(ec, r)) return;
    handles_.clear();
    size_t n = sqs::scan_receipt_handles(r.body, handles_);
    if (n == 0) {
      ++shared_.empty_receives;  // the rest may be in flight at other consumers
      return receive();
    }
    // Built before the next call(): the handles point into this reply.
    delete_request_ = sqs::request(shared_.host_port, "DeleteMessageBatch",
                                   sqs::delete_message_batch_body(shared_.queue_url, handles_));
    started_ = Clock::now();
    conn_.call(delete_request_,
               [this](const boost::system::error_code& e, const HttpResponse& reply) { on_delete(e, reply); });
  }

  void on_delete(const boost::system::error_code& ec, const HttpResponse& r) {
    if (!ok(ec, r)) return;
    auto outcome = sqs::delete_batch_outcome(r.body);
    if (outcome.succeeded + outcome.failed != handles_.size()) {
      stats_.error("DeleteMessageBatch reply accounts for " + std::to_string(outcome.succeeded + outcome.failed) +
                   " of " + std::to_string(handles_.size()) + " entries: " + std::string(r.body.substr(0, 160)));
    } else if (outcome.failed > 0) {
      stats_.error("DeleteMessageBatch entries failed: " + std::string(r.body.substr(0, 160)));
    }
    auto now = Clock::now();
    shared_.last_progress = ticks(now);
    uint64_t before = shared_.deleted.fetch_add(outcome.succeeded);
    if (before < shared_.target && before + outcome.succeeded >= shared_.target) {
      shared_.done_at = ticks(now);
    }
    receive();
  }

  // Records latency or the error; on an error schedules the next receive itself.
  bool ok(const boost::system::error_code& ec, const HttpResponse& r) {
    if (!ec && r.status == 200) {
      stats_.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started_).count());
      ++stats_.ok;
      transport_failures_ = 0;
      return true;
    }
    stats_.error(ec, r);
    if (!ec) {
      receive();
    } else if (++transport_failures_ > 300) {
      stop();  // ~3 s unreachable: the server is gone
    } else {
      backoff_.expires_after(std::chrono::milliseconds(10));
      backoff_.async_wait([this](const boost::system::error_code&) { receive(); });
    }
    return false;
  }

  HttpConnection conn_;
  asio::steady_timer backoff_;
  DrainShared& shared_;
  std::vector<std::string_view> handles_;
  std::string delete_request_;
  Clock::time_point started_;
  int transport_failures_ = 0;
  RunStats stats_;
};

}  // namespace

nlohmann::json run_drain(const Options& o) {
  nlohmann::json out = {{"scenario", "drain"}};
  BlockingClient setup(o.host, o.port);
  std::string queue = o.queue.empty() ? "bench-drain" : o.queue;
  const std::string url = create_queue_or_fail(setup, queue, out);
  if (url.empty()) return out;

  FillResult fill = fill_queue(o, url, o.messages);
  out["messages"] = o.messages;
  out["acknowledged"] = fill.acknowledged;
  out["fill_seconds"] = fill.seconds;
  out["fill_rate"] = static_cast<double>(fill.acknowledged) / fill.seconds;
  fill.stats.add_latency(out, "fill_");

  DrainShared shared;
  shared.target = fill.acknowledged;
  shared.host_port = setup.host_port();
  shared.queue_url = url;
  shared.receive_request = sqs::request(shared.host_port, "ReceiveMessage", sqs::receive_message_body(url, 10, 0));
  asio::io_context io;
  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  auto begin = Clock::now();
  shared.deadline = begin + seconds(o.timeout_s);
  shared.last_progress = ticks(begin);
  std::vector<std::unique_ptr<Consumer>> consumers;
  if (!fill.timed_out) {
    for (int i = 0; i < o.consumers; ++i) {
      consumers.push_back(std::make_unique<Consumer>(io, server, shared));
      consumers.back()->start();
    }
  }
  // Consumers stop themselves at the deadline; this only catches a hung reply.
  Watchdog watchdog(io, shared.active, shared.deadline + std::chrono::seconds(30));
  watchdog.start();
  run_io(io, o.threads);

  RunStats drain;
  for (const auto& c : consumers) drain.merge(c->stats());
  bool finished = shared.done_at.load() != 0;
  double drain_seconds =
      seconds_between(begin, finished ? Clock::time_point(Clock::duration(shared.done_at.load())) : Clock::now());
  out["consumers"] = o.consumers;
  out["threads"] = o.threads;
  out["drained"] = shared.deleted.load();
  out["seconds"] = drain_seconds;
  out["rate"] = static_cast<double>(finished ? shared.target : shared.deleted.load()) / drain_seconds;
  out["rate_unit"] = "msg/s";
  drain.add_latency(out);
  out["receives"] = shared.receives.load();
  out["empty_receives"] = shared.empty_receives.load();

  // Verification: nothing left, nothing in flight.
  auto attrs = setup.call("GetQueueAttributes", sqs::get_queue_attributes_body(url));
  auto counts = attrs.ok() ? sqs::queue_counts_of(attrs.body) : sqs::QueueCounts{};
  bool empty = counts.ok && counts.visible == 0 && counts.not_visible == 0;
  if (counts.ok) {
    out["visible_after"] = counts.visible;
    out["not_visible_after"] = counts.not_visible;
  } else {
    drain.error("GetQueueAttributes: " + attrs.describe());
  }
  out["verify"] = empty ? "ok" : "FAIL";

  RunStats all;
  all.merge(fill.stats);
  all.merge(drain);
  out["errors"] = all.errors;
  out["error_samples"] = all.error_samples();
  if (fill.timed_out || shared.timed_out || watchdog.fired()) {
    out["status"] = "timeout";
  } else if (shared.stalled) {
    out["status"] = "stalled";
  } else if (all.errors > 0) {
    out["status"] = "errors";
  } else if (!empty || shared.deleted.load() < shared.target) {
    out["status"] = "FAIL";
  } else {
    out["status"] = "ok";
  }
  return out;
}

}  // namespace sluice::bench
