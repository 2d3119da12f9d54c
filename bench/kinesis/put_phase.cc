#include "bench/kinesis/put_phase.h"

#include "bench/sqs/http_connection.h"
#include "bench/sqs/watchdog.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <vector>

namespace sluice::bench {
namespace {

namespace asio = boost::asio;

// A worker gives up after this many transport errors in a row (~3 s of 10 ms
// back-offs): the server is gone.
constexpr int kMaxTransportFailures = 300;

struct PutShared {
  // Window mode: replies in [window_start, window_end) count; no request starts after window_end.
  bool windowed = false;
  Clock::time_point window_start, window_end;
  // Count mode: batch numbers are taken from next_batch until `batches`; the last
  // one carries `last_records` records (`last_request`).
  uint64_t batches = 0;
  int last_records = 0;
  std::string last_request;
  std::atomic<uint64_t> next_batch{0};
  std::atomic<int> active{0};
};

// One connection's closed loop. Owned by the phase; one outstanding operation,
// so its handlers never run concurrently even with several io_context threads.
class PutWorker {
 public:
  PutWorker(asio::io_context& io, const asio::ip::tcp::endpoint& server, PutShared& shared, std::string request,
            int batch)
      : conn_(io, server), backoff_(io), shared_(shared), request_(std::move(request)), batch_(batch) {}

  void start() {
    ++shared_.active;
    next();
  }
  PutResult& result() { return result_; }
  uint64_t connects() const { return conn_.connects(); }
  Clock::time_point ended() const { return ended_; }

 private:
  void next() {
    if (shared_.windowed) {
      if (Clock::now() >= shared_.window_end) return stop();
      entries_ = batch_;
      current_ = &request_;
    } else {
      uint64_t n = shared_.next_batch.fetch_add(1);
      if (n >= shared_.batches) return stop();
      bool last = n + 1 == shared_.batches && shared_.last_records != batch_;
      entries_ = last ? shared_.last_records : batch_;
      current_ = last ? &shared_.last_request : &request_;
    }
    send();
  }

  void send() {
    started_ = Clock::now();
    conn_.call(*current_, [this](const boost::system::error_code& ec, const HttpResponse& r) { on_reply(ec, r); });
  }

  void stop() {
    ended_ = Clock::now();
    --shared_.active;
  }

  void on_reply(const boost::system::error_code& ec, const HttpResponse& r) {
    auto now = Clock::now();
    bool counted = !shared_.windowed || (now >= shared_.window_start && now < shared_.window_end);
    if (ec || r.status != 200) {
      result_.stats.error(ec, r);
      if (!ec) return next();  // an HTTP error: the batch is not retried, it is an error run anyway
      if (++transport_failures_ > kMaxTransportFailures) return stop();
      // Refused or reset: resend this batch after a pause rather than spin.
      backoff_.expires_after(std::chrono::milliseconds(10));
      backoff_.async_wait([this](const boost::system::error_code&) {
        if (shared_.windowed && Clock::now() >= shared_.window_end) return stop();
        send();
      });
      return;
    }
    transport_failures_ = 0;
    kinesis::PutOutcome outcome = kinesis::scan_put_records(r.body, result_.per_shard);
    size_t accounted = outcome.succeeded + outcome.throttled + outcome.failed_other;
    if (!outcome.valid || accounted != static_cast<size_t>(entries_)) {
      result_.stats.error("PutRecords reply does not account for " + std::to_string(entries_) +
                          " records: " + std::string(r.body.substr(0, 160)));
      return next();
    }
    result_.acknowledged_all += outcome.succeeded;
    if (outcome.failed_other > 0) result_.stats.error("PutRecords records failed: " + outcome.other_error);
    if (counted) {
      ++result_.requests;
      result_.acknowledged += outcome.succeeded;
      result_.throttled += outcome.throttled;
      result_.failed += outcome.failed_other;
      result_.stats.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(now - started_).count());
      ++result_.stats.ok;
    }
    next();
  }

  HttpConnection conn_;
  asio::steady_timer backoff_;
  PutShared& shared_;
  std::string request_;
  int batch_;
  const std::string* current_ = nullptr;
  int entries_ = 0;
  int transport_failures_ = 0;
  Clock::time_point started_;
  Clock::time_point ended_;
  PutResult result_;
};

PutResult run_workers(const KinesisOptions& o, const std::string& stream, PutShared& shared,
                      Clock::time_point deadline) {
  std::string host_port = o.host + ":" + std::to_string(o.port);
  asio::io_context io;
  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  std::vector<std::unique_ptr<PutWorker>> workers;
  for (int i = 0; i < o.connections; ++i) {
    // Seeded by connection, so every connection sends different records and keys.
    std::mt19937_64 rng(0x5eed0000u + static_cast<uint64_t>(i) * 7919);
    std::string body = kinesis::put_records_body(stream, o.batch, o.record_bytes, rng);
    workers.push_back(
        std::make_unique<PutWorker>(io, server, shared, kinesis::request(host_port, "PutRecords", body), o.batch));
  }
  auto begin = Clock::now();
  for (auto& w : workers) w->start();
  Watchdog watchdog(io, shared.active, deadline);
  watchdog.start();
  run_io(io, o.threads);

  PutResult total;
  total.timed_out = watchdog.fired();
  // The last worker's end, not run_io's: the watchdog's poll would add up to 20 ms.
  auto end = begin;
  for (auto& w : workers) end = std::max(end, w->ended());
  total.seconds = seconds_between(begin, total.timed_out ? Clock::now() : end);
  for (auto& w : workers) {
    PutResult& r = w->result();
    total.requests += r.requests;
    total.acknowledged += r.acknowledged;
    total.throttled += r.throttled;
    total.failed += r.failed;
    total.acknowledged_all += r.acknowledged_all;
    total.per_shard.merge(r.per_shard);
    total.stats.merge(r.stats);
    total.connects += w->connects();
  }
  return total;
}

}  // namespace

PutResult put_for_window(const KinesisOptions& o, const std::string& stream) {
  PutShared shared;
  shared.windowed = true;
  shared.window_start = Clock::now() + seconds(o.warmup_s);
  shared.window_end = shared.window_start + seconds(o.duration_s);
  PutResult r = run_workers(o, stream, shared, shared.window_end + std::chrono::seconds(30));
  r.seconds = o.duration_s;
  if (r.timed_out) r.stats.error("server stopped answering (30 s past the window)");
  return r;
}

PutResult put_records(const KinesisOptions& o, const std::string& stream, uint64_t records) {
  PutShared shared;
  shared.batches = (records + o.batch - 1) / o.batch;
  shared.last_records = records % o.batch == 0 ? o.batch : static_cast<int>(records % o.batch);
  std::mt19937_64 rng(0x1a57);
  std::string host_port = o.host + ":" + std::to_string(o.port);
  shared.last_request = kinesis::request(host_port, "PutRecords",
                                         kinesis::put_records_body(stream, shared.last_records, o.record_bytes, rng));
  PutResult r = run_workers(o, stream, shared, Clock::now() + seconds(o.timeout_s));
  if (r.timed_out) r.stats.error("fill did not finish within --timeout");
  return r;
}

void add_fill(nlohmann::json& out, const PutResult& fill, uint64_t asked) {
  out["fill_records_asked"] = asked;
  out["fill_records"] = fill.acknowledged_all;
  out["fill_throttled_records"] = fill.throttled;
  out["fill_seconds"] = fill.seconds;
  out["fill_rate"] = fill.seconds > 0 ? static_cast<double>(fill.acknowledged_all) / fill.seconds : 0;
  out["fill_p50_us"] = fill.stats.latency.percentile(0.50) / 1000.0;
  out["fill_p99_us"] = fill.stats.latency.percentile(0.99) / 1000.0;
  nlohmann::json shards = nlohmann::json::object();
  for (const auto& [id, n] : fill.per_shard.all()) shards[id] = n;
  out["fill_per_shard"] = shards;
}

}  // namespace sluice::bench
