// send: closed loop of SendMessage (1 KiB body) on N keep-alive connections, a
// warm-up, then a fixed window in which every completed request is counted and
// its latency recorded.

#include "bench/sqs/blocking_client.h"
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

// One connection's closed loop: a request, its reply, the next request.
// Owned by run_send; only one operation is outstanding at a time, so its
// handlers never run concurrently even with several io_context threads.
class SendWorker {
 public:
  SendWorker(asio::io_context& io, const asio::ip::tcp::endpoint& server, const std::string& request,
             Clock::time_point window_start, Clock::time_point window_end, std::atomic<int>& active)
      : conn_(io, server),
        backoff_(io),
        request_(request),
        window_start_(window_start),
        window_end_(window_end),
        active_(active) {}

  void start() {
    ++active_;
    next();
  }
  const RunStats& stats() const { return stats_; }
  uint64_t connects() const { return conn_.connects(); }

 private:
  void next() {
    started_ = Clock::now();
    conn_.call(request_, [this](const boost::system::error_code& ec, const HttpResponse& r) { on_reply(ec, r); });
  }

  void on_reply(const boost::system::error_code& ec, const HttpResponse& r) {
    auto now = Clock::now();
    if (!ec && r.status == 200 && r.body.find("\"MessageId\"") != std::string_view::npos) {
      if (now >= window_start_ && now < window_end_) {
        stats_.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(now - started_).count());
        ++stats_.ok;
      }
    } else if (!ec && r.status == 200) {
      stats_.error("HTTP 200 without MessageId: " + std::string(r.body.substr(0, 160)));
    } else {
      stats_.error(ec, r);
      if (ec && now < window_end_) {
        // Refused or reset: do not spin; the run is an error run anyway.
        backoff_.expires_after(std::chrono::milliseconds(10));
        backoff_.async_wait([this](const boost::system::error_code&) { next(); });
        return;
      }
    }
    if (now < window_end_) {
      next();
    } else {
      --active_;
    }
  }

  HttpConnection conn_;
  asio::steady_timer backoff_;
  const std::string& request_;
  Clock::time_point window_start_;
  Clock::time_point window_end_;
  std::atomic<int>& active_;
  Clock::time_point started_;
  RunStats stats_;
};

}  // namespace

nlohmann::json run_send(const Options& o) {
  nlohmann::json out = {{"scenario", "send"}};
  BlockingClient setup(o.host, o.port);
  std::string queue = o.queue.empty() ? "bench-send" : o.queue;
  const std::string url = create_queue_or_fail(setup, queue, out);
  if (url.empty()) return out;

  std::string request =
      sqs::request(setup.host_port(), "SendMessage", sqs::send_message_body(url, sqs::message_body(o.body_bytes)));
  asio::io_context io;
  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  auto begin = Clock::now();
  auto window_start = begin + seconds(o.warmup_s);
  auto window_end = window_start + seconds(o.duration_s);

  std::atomic<int> active{0};
  std::vector<std::unique_ptr<SendWorker>> workers;
  for (int i = 0; i < o.connections; ++i) {
    workers.push_back(std::make_unique<SendWorker>(io, server, request, window_start, window_end, active));
    workers.back()->start();
  }
  Watchdog watchdog(io, active, window_end + std::chrono::seconds(10));
  watchdog.start();
  run_io(io, o.threads);

  RunStats total;
  uint64_t connects = 0;
  for (const auto& w : workers) {
    total.merge(w->stats());
    connects += w->connects();
  }
  if (watchdog.fired()) total.error("server stopped answering (10 s past the window)");
  out["connections"] = o.connections;
  out["threads"] = o.threads;
  out["body_bytes"] = o.body_bytes;
  out["seconds"] = o.duration_s;
  out["requests"] = total.ok;
  out["rate"] = static_cast<double>(total.ok) / o.duration_s;
  out["rate_unit"] = "req/s";
  total.add_latency(out);
  out["connects"] = connects;
  out["errors"] = total.errors;
  out["error_samples"] = total.error_samples();
  out["status"] = total.errors == 0 ? "ok" : "errors";
  return out;
}

}  // namespace sluice::bench
