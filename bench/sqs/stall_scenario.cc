// stall: the send scenario's closed loop of SendMessage (same queue name, same
// request bytes) on N connections, and in the middle one more connection creating
// queues one at a time. SendMessage latency while the creates run is set against
// a window of the same length just before they start, in the same run: a server
// that holds a global lock through a CreateQueue's fsync shows it in the first.

#include "bench/sqs/blocking_client.h"
#include "bench/sqs/create_phase.h"
#include "bench/sqs/http_connection.h"
#include "bench/sqs/run_stats.h"
#include "bench/sqs/scenarios.h"
#include "bench/sqs/sqs_json.h"
#include "bench/sqs/watchdog.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <type_traits>
#include <vector>

namespace sluice::bench {
namespace {

namespace asio = boost::asio;

// The senders go on this long after the last create, so that sends the last
// creates held up complete inside the run.
constexpr auto kTail = std::chrono::seconds(1);

// One good SendMessage: when its reply came and how long it took. Kept raw because
// the windows are only known at the end (the create phase lasts what it lasts).
struct Sample {
  int64_t done;     // Clock ticks
  int64_t latency;  // ns
};

// One connection's closed loop of SendMessage, recording a Sample per good reply
// after the warm-up. Owned by run_stall; one outstanding operation, so its
// handlers never run concurrently even with several io_context threads.
class StallSender {
 public:
  StallSender(asio::io_context& io, const asio::ip::tcp::endpoint& server, const std::string& request,
              Clock::time_point record_from, Clock::time_point deadline, const CreatePhase& creates,
              std::atomic<int>& active)
      : conn_(io, server),
        backoff_(io),
        request_(request),
        record_from_(record_from),
        deadline_(deadline),
        creates_(creates),
        active_(active) {
    samples_.reserve(1 << 16);
  }

  void start() {
    ++active_;
    next();
  }
  const RunStats& stats() const { return stats_; }
  const std::vector<Sample>& samples() const { return samples_; }
  uint64_t connects() const { return conn_.connects(); }

 private:
  bool over(Clock::time_point now) const {
    int64_t finished = creates_.finished_ticks();
    return now >= deadline_ || (finished != 0 && now >= Clock::time_point(Clock::duration(finished)) + kTail);
  }

  void next() {
    started_ = Clock::now();
    conn_.call(request_, [this](const boost::system::error_code& ec, const HttpResponse& r) { on_reply(ec, r); });
  }

  void on_reply(const boost::system::error_code& ec, const HttpResponse& r) {
    auto now = Clock::now();
    if (!ec && r.status == 200 && r.body.find("\"MessageId\"") != std::string_view::npos) {
      if (now >= record_from_) samples_.push_back({now.time_since_epoch().count(), (now - started_).count()});
    } else if (!ec && r.status == 200) {
      stats_.error("HTTP 200 without MessageId: " + std::string(r.body.substr(0, 160)));
    } else {
      stats_.error(ec, r);
      if (ec && !over(now)) {
        // Refused or reset: do not spin; the run is an error run anyway.
        backoff_.expires_after(std::chrono::milliseconds(10));
        backoff_.async_wait([this](const boost::system::error_code&) { next(); });
        return;
      }
    }
    if (!over(now)) {
      next();
    } else {
      --active_;
    }
  }

  HttpConnection conn_;
  asio::steady_timer backoff_;
  const std::string& request_;
  Clock::time_point record_from_;
  Clock::time_point deadline_;
  const CreatePhase& creates_;
  std::atomic<int>& active_;
  Clock::time_point started_;
  std::vector<Sample> samples_;
  RunStats stats_;
};

static_assert(std::is_same_v<Clock::duration, std::chrono::nanoseconds>, "samples keep Clock ticks as ns");

struct Window {
  LatencyHistogram latency;
  uint64_t requests = 0;
  double seconds = 0;

  void describe(nlohmann::json& out, const std::string& prefix) const {
    out[prefix + "seconds"] = seconds;
    out[prefix + "requests"] = requests;
    out[prefix + "rate"] = seconds > 0 ? static_cast<double>(requests) / seconds : 0.0;
    out[prefix + "p50_us"] = latency.percentile(0.50) / 1000.0;
    out[prefix + "p90_us"] = latency.percentile(0.90) / 1000.0;
    out[prefix + "p99_us"] = latency.percentile(0.99) / 1000.0;
    out[prefix + "max_us"] = latency.percentile(1.0) / 1000.0;
  }
};

}  // namespace

nlohmann::json run_stall(const Options& o) {
  nlohmann::json out = {{"scenario", "stall"}};
  auto mix = parse_create_mix(o.mix);
  if (!mix) return bad_mix_result("stall", o.mix);
  BlockingClient setup(o.host, o.port);
  // The send scenario's queue name, so that the SendMessage bytes are the same.
  std::string queue = o.queue.empty() ? "bench-send" : o.queue;
  const std::string url = create_queue_or_fail(setup, queue, out);
  if (url.empty()) return out;

  std::string request =
      sqs::request(setup.host_port(), "SendMessage", sqs::send_message_body(url, sqs::message_body(o.body_bytes)));
  uint64_t queues = o.queues == 0 ? 1000 : o.queues;
  asio::io_context io;
  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  CreatePhase creates(io, server, setup.host_port(), "bench-stall-", queues, 1, *mix, 0);

  auto begin = Clock::now();
  auto record_from = begin + seconds(o.warmup_s);
  auto creates_at = record_from + seconds(o.duration_s);
  auto deadline = creates_at + seconds(o.timeout_s);
  std::atomic<int> active{0};
  std::vector<std::unique_ptr<StallSender>> senders;
  for (int i = 0; i < o.connections; ++i) {
    senders.push_back(std::make_unique<StallSender>(io, server, request, record_from, deadline, creates, active));
    senders.back()->start();
  }
  creates.start(creates_at, deadline, active);
  Watchdog watchdog(io, active, deadline + std::chrono::seconds(10));
  watchdog.start();
  run_io(io, o.threads);

  // The create phase, and a window of the same length that ends where it begins
  // (all of the pre-create time if that is shorter; baseline_seconds says).
  int64_t create_start = creates.started_at().time_since_epoch().count();
  int64_t create_end =
      creates.finished_ticks() != 0 ? creates.finished_ticks() : Clock::now().time_since_epoch().count();
  int64_t baseline_start = std::max(create_start - (create_end - create_start), record_from.time_since_epoch().count());
  Window baseline, during;
  baseline.seconds = static_cast<double>(create_start - baseline_start) / 1e9;
  during.seconds = static_cast<double>(create_end - create_start) / 1e9;
  RunStats sends;
  uint64_t connects = 0;
  for (const auto& s : senders) {
    sends.merge(s->stats());
    connects += s->connects();
    for (const Sample& sample : s->samples()) {
      Window* w = sample.done >= create_start && sample.done <= create_end      ? &during
                  : sample.done >= baseline_start && sample.done < create_start ? &baseline
                                                                                : nullptr;
      if (w == nullptr) continue;
      w->latency.record(static_cast<uint64_t>(sample.latency));
      ++w->requests;
    }
  }
  RunStats made = creates.stats();
  RunStats all;
  all.merge(sends);
  all.merge(made);
  if (watchdog.fired()) all.error("server stopped answering (10 s past the deadline)");
  if (creates.timed_out()) all.error("creates did not finish within --timeout");

  out["connections"] = o.connections;
  out["threads"] = o.threads;
  out["body_bytes"] = o.body_bytes;
  out["warmup_seconds"] = o.warmup_s;
  out["pre_create_seconds"] = o.duration_s;
  out["queues"] = queues;
  out["mix"] = mix->describe();
  baseline.describe(out, "baseline_");
  during.describe(out, "during_");
  double base_p99 = baseline.latency.percentile(0.99);
  if (base_p99 > 0 && during.requests > 0) out["p99_ratio"] = during.latency.percentile(0.99) / base_p99;
  out["create_seconds"] = during.seconds;
  out["created"] = creates.created();
  out["completed_queues"] = creates.completed();
  out["create_calls"] = creates.calls();
  out["create_rate"] = during.seconds > 0 ? static_cast<double>(creates.created()) / during.seconds : 0.0;
  made.add_latency(out, "create_");
  out["create_max_us"] = made.latency.percentile(1.0) / 1000.0;
  out["connects"] = connects;
  out["errors"] = all.errors;
  out["error_samples"] = all.error_samples();
  if (creates.timed_out() || watchdog.fired()) {
    out["status"] = "timeout";
  } else if (all.errors > 0) {
    out["status"] = "errors";
  } else if (creates.created() != queues) {
    out["status"] = "FAIL";
  } else {
    out["status"] = "ok";
  }
  return out;
}

}  // namespace sluice::bench
