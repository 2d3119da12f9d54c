#include "bench/sqs/create_phase.h"

#include "bench/sqs/http_connection.h"
#include "bench/sqs/sqs_json.h"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cstdio>

namespace sluice::bench {

namespace asio = boost::asio;

std::string CreateMix::describe() const {
  return std::string("create") + (attributes ? ",attributes" : "") + (tags ? ",tags" : "");
}

std::optional<CreateMix> parse_create_mix(const std::string& text) {
  CreateMix mix;
  bool create = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = std::min(text.find(',', pos), text.size());
    std::string part = text.substr(pos, comma - pos);
    if (part == "create") create = true;
    else if (part == "attributes") mix.attributes = true;
    else if (part == "tags") mix.tags = true;
    else return std::nullopt;
    pos = comma + 1;
  }
  if (!create) return std::nullopt;
  return mix;
}

nlohmann::json bad_mix_result(const std::string& scenario, const std::string& text) {
  return {{"scenario", scenario},
          {"status", "error"},
          {"errors", 1},
          {"error_samples", {{{"count", 1}, {"error", "bad --mix " + text}}}}};
}

namespace {

int64_t ticks(Clock::time_point t) { return t.time_since_epoch().count(); }

}  // namespace

// One connection taking queue numbers from its CreatePhase until all are made:
// CreateQueue, then the mix's calls on the URL it returned. Owned by the phase;
// one outstanding operation, so its handlers never overlap.
class CreateWorker {
 public:
  CreateWorker(asio::io_context& io, const asio::ip::tcp::endpoint& server, CreatePhase& phase)
      : conn_(io, server), timer_(io), phase_(phase) {}

  void start() {
    timer_.expires_at(phase_.at_);
    timer_.async_wait([this](const boost::system::error_code&) { next(); });
  }
  const RunStats& stats() const { return stats_; }
  uint64_t created() const { return created_; }
  uint64_t calls() const { return calls_; }

 private:
  enum class Step { kCreate, kAttributes, kTags };

  void next() {
    if (phase_.next_.load() < phase_.queues_ && Clock::now() >= phase_.deadline_) {
      phase_.timed_out_ = true;
      return stop();
    }
    index_ = phase_.next_.fetch_add(1);
    if (index_ >= phase_.queues_) return stop();
    call(Step::kCreate, phase_.create_requests_[index_]);
  }

  void call(Step step, const std::string& request) {
    step_ = step;
    request_ = &request;
    started_ = Clock::now();
    conn_.call(request, [this](const boost::system::error_code& ec, const HttpResponse& r) { on_reply(ec, r); });
  }

  const char* op() const {
    switch (step_) {
      case Step::kCreate:
        return "CreateQueue";
      case Step::kAttributes:
        return "SetQueueAttributes";
      case Step::kTags:
        return "TagQueue";
    }
    return "";
  }

  void on_reply(const boost::system::error_code& ec, const HttpResponse& r) {
    auto now = Clock::now();
    if (ec) {
      stats_.error(std::string(op()) + ": transport: " + ec.message());
      if (++transport_failures_ > 300) return stop();  // ~3 s unreachable: the server is gone
      // Refused or reset: back off, then resend the same call.
      timer_.expires_after(std::chrono::milliseconds(10));
      timer_.async_wait([this](const boost::system::error_code&) { call(step_, *request_); });
      return;
    }
    transport_failures_ = 0;
    ++calls_;
    if (r.status != 200) {
      stats_.error(std::string(op()) + ": HTTP " + std::to_string(r.status) + ": " +
                   std::string(r.body.substr(0, 160)));
      return done(now);  // the rest of this queue's calls would fail too
    }
    if (step_ == Step::kCreate) {
      std::string_view raw = sqs::scan_string(r.body, "QueueUrl");
      if (raw.empty()) {
        stats_.error("CreateQueue: HTTP 200 without QueueUrl: " + std::string(r.body.substr(0, 160)));
        return done(now);
      }
      stats_.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(now - started_).count());
      ++stats_.ok;
      ++created_;
      if (!phase_.mix_.attributes && !phase_.mix_.tags) return done(now);
      // The raw value is the URL unless it has escapes (none of the servers writes any).
      url_ = raw.find('\\') == std::string_view::npos ? std::string(raw) : sqs::queue_url_of(r.body);
      if (phase_.mix_.attributes) {
        request_bytes_ = sqs::request(phase_.host_port_, "SetQueueAttributes", sqs::set_queue_attributes_body(url_));
        return call(Step::kAttributes, request_bytes_);
      }
    }
    if (step_ != Step::kTags && phase_.mix_.tags) {
      request_bytes_ = sqs::request(phase_.host_port_, "TagQueue", sqs::tag_queue_body(url_));
      return call(Step::kTags, request_bytes_);
    }
    done(now);
  }

  void done(Clock::time_point now) {
    phase_.queue_done(now);
    next();
  }

  void stop() { phase_.worker_stopped(); }

  HttpConnection conn_;
  asio::steady_timer timer_;  // the start, then backoffs
  CreatePhase& phase_;
  uint64_t index_ = 0;
  Step step_ = Step::kCreate;
  const std::string* request_ = nullptr;
  std::string request_bytes_;  // the current SetQueueAttributes / TagQueue
  std::string url_;
  Clock::time_point started_;
  int transport_failures_ = 0;
  uint64_t created_ = 0;
  uint64_t calls_ = 0;
  RunStats stats_;
};

CreatePhase::CreatePhase(asio::io_context& io, const asio::ip::tcp::endpoint& server, const std::string& host_port,
                         const std::string& prefix, uint64_t queues, int connections, CreateMix mix, uint64_t block)
    : host_port_(host_port), mix_(mix), queues_(queues), block_(block == 0 ? std::max<uint64_t>(queues, 1) : block) {
  create_requests_.reserve(queues);
  char name[32];
  for (uint64_t i = 0; i < queues; ++i) {
    std::snprintf(name, sizeof name, "%05llu", static_cast<unsigned long long>(i));
    create_requests_.push_back(sqs::request(host_port, "CreateQueue", sqs::create_queue_body(prefix + name)));
  }
  block_done_.assign((queues + block_ - 1) / block_, 0);
  for (int i = 0; i < connections; ++i) workers_.push_back(std::make_unique<CreateWorker>(io, server, *this));
}

CreatePhase::~CreatePhase() = default;

void CreatePhase::start(Clock::time_point at, Clock::time_point deadline, std::atomic<int>& active) {
  at_ = std::max(at, Clock::now());
  deadline_ = deadline;
  active_ = &active;
  running_ = static_cast<int>(workers_.size());
  active += static_cast<int>(workers_.size());
  for (auto& w : workers_) w->start();
}

void CreatePhase::queue_done(Clock::time_point now) {
  uint64_t n = completed_.fetch_add(1) + 1;
  if (n % block_ == 0 || n == queues_) block_done_[(n - 1) / block_] = ticks(now);
}

void CreatePhase::worker_stopped() {
  if (running_.fetch_sub(1) == 1) finished_ = ticks(Clock::now());
  --*active_;
}

uint64_t CreatePhase::created() const {
  uint64_t n = 0;
  for (const auto& w : workers_) n += w->created();
  return n;
}

uint64_t CreatePhase::calls() const {
  uint64_t n = 0;
  for (const auto& w : workers_) n += w->calls();
  return n;
}

std::vector<double> CreatePhase::block_seconds() const {
  std::vector<double> out;
  int64_t previous = ticks(at_);
  for (int64_t t : block_done_) {
    if (t == 0) break;
    out.push_back(std::chrono::duration<double>(Clock::duration(t - previous)).count());
    previous = t;
  }
  return out;
}

RunStats CreatePhase::stats() const {
  RunStats total;
  for (const auto& w : workers_) total.merge(w->stats());
  return total;
}

}  // namespace sluice::bench
