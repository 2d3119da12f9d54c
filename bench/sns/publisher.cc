#include "bench/sns/publisher.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace sluice::bench {

namespace asio = boost::asio;

// One keep-alive connection with its own copy of the request bytes (stamped in
// place). After each reply it hands itself back to its owner with what happened.
class PublishConnection {
 public:
  using After = std::function<void(PublishConnection&, Clock::time_point due, bool ok, bool transport_error)>;

  PublishConnection(asio::io_context& io, const asio::ip::tcp::endpoint& server, const std::string& request,
                    After after)
      : conn_(io, server), backoff_(io), request_(request), after_(std::move(after)) {}

  // Sends one Publish; `due` is the time stamped into the message and the start of its latency.
  void send(Clock::time_point due) {
    due_ = due;
    request_.stamp(steady_nanos(due));
    conn_.call(request_.bytes(), [this](const boost::system::error_code& ec, const HttpResponse& r) {
      Clock::time_point now = Clock::now();
      bool ok = !ec && r.status == 200 && r.body.find("<MessageId>") != std::string_view::npos;
      if (ok) {
        ++acknowledged;
        last_reply = now;
      } else if (!ec && r.status == 200) {
        stats.error("HTTP 200 without MessageId: " + std::string(r.body.substr(0, 160)));
      } else {
        stats.error(ec, r);
      }
      after_(*this, due_, ok, static_cast<bool>(ec));
    });
  }

  // Refused or reset: do not spin; the run is an error run anyway.
  void after_backoff(std::function<void()> then) {
    backoff_.expires_after(std::chrono::milliseconds(10));
    backoff_.async_wait([then = std::move(then)](const boost::system::error_code&) { then(); });
  }

  uint64_t connects() const { return conn_.connects(); }

  RunStats stats;
  uint64_t acknowledged = 0;
  Clock::time_point last_reply{};

 private:
  HttpConnection conn_;
  asio::steady_timer backoff_;
  sns::PublishRequest request_;
  After after_;
  Clock::time_point due_{};
};

namespace {

PublishTally tally_of(const std::vector<std::unique_ptr<PublishConnection>>& connections, Clock::time_point first,
                      bool timed_out) {
  PublishTally t;
  t.first_sent = first;
  t.timed_out = timed_out;
  for (const auto& c : connections) {
    t.window.merge(c->stats);
    t.acknowledged += c->acknowledged;
    t.last_reply = std::max(t.last_reply, c->last_reply);
    t.connects += c->connects();
  }
  if (timed_out) t.window.error("server stopped answering (10 s past the end)");
  return t;
}

}  // namespace

// --- closed loop ------------------------------------------------------------

ClosedLoopPublishers::ClosedLoopPublishers(asio::io_context& io, const asio::ip::tcp::endpoint& server,
                                           const std::string& request, int connections, Clock::time_point window_start,
                                           Clock::time_point window_end, Clock::time_point stop_at, uint64_t budget)
    : io_(io), window_start_(window_start), window_end_(window_end), stop_at_(stop_at), budget_(budget) {
  for (int i = 0; i < connections; ++i) {
    connections_.push_back(std::make_unique<PublishConnection>(
        io, server, request, [this](PublishConnection& c, Clock::time_point sent, bool ok, bool transport_error) {
          Clock::time_point now = Clock::now();
          if (ok && now >= window_start_ && now < window_end_) {
            c.stats.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(now - sent).count());
            ++c.stats.ok;
          }
          if (!take_ticket()) {
            --active_;
            return;
          }
          if (transport_error) {
            c.after_backoff([&c] { c.send(Clock::now()); });
          } else {
            c.send(Clock::now());
          }
        }));
  }
}

ClosedLoopPublishers::~ClosedLoopPublishers() = default;

bool ClosedLoopPublishers::take_ticket() {
  if (Clock::now() >= stop_at_) return false;
  return budget_ == 0 || issued_.fetch_add(1) < budget_;
}

void ClosedLoopPublishers::start() {
  started_ = Clock::now();
  watchdog_ = std::make_unique<Watchdog>(io_, active_, stop_at_ + std::chrono::seconds(10));
  for (auto& c : connections_) {
    if (!take_ticket()) break;
    ++active_;
    c->send(Clock::now());
  }
  watchdog_->start();
}

PublishTally ClosedLoopPublishers::tally() const {
  return tally_of(connections_, started_, watchdog_ && watchdog_->fired());
}

// --- paced ------------------------------------------------------------------

PacedPublishers::PacedPublishers(asio::io_context& io, const asio::ip::tcp::endpoint& server,
                                 const std::string& request, int max_connections, double rate, double duration_s)
    : io_(io), timer_(io), rate_(rate), total_(static_cast<uint64_t>(std::llround(rate * duration_s))) {
  for (int i = 0; i < max_connections; ++i) {
    connections_.push_back(std::make_unique<PublishConnection>(
        io, server, request, [this](PublishConnection& c, Clock::time_point due, bool ok, bool transport_error) {
          Clock::time_point now = Clock::now();
          if (ok) {
            c.stats.latency.record(std::chrono::duration_cast<std::chrono::nanoseconds>(now - due).count());
            ++c.stats.ok;
          }
          if (transport_error) {
            c.after_backoff([this, &c] { send_due(c); });
          } else {
            send_due(c);
          }
        }));
    idle_.push_back(connections_.back().get());
  }
}

PacedPublishers::~PacedPublishers() = default;

Clock::time_point PacedPublishers::due_at(uint64_t i) const { return start_ + seconds(static_cast<double>(i) / rate_); }

uint64_t PacedPublishers::due_by(Clock::time_point now) const {
  if (now < start_) return 0;
  auto n = static_cast<uint64_t>(seconds_between(start_, now) * rate_) + 1;
  return std::min(n, total_);
}

void PacedPublishers::send_due(PublishConnection& c) {
  Clock::time_point now = Clock::now();
  if (next_ < due_by(now)) {
    Clock::time_point due = due_at(next_++);
    if (now - due > std::chrono::milliseconds(1)) ++late_;
    c.send(due);
    return;
  }
  idle_.push_back(&c);
  // The last one back once everything was sent ends the phase.
  if (next_ == total_ && idle_.size() == connections_.size()) --active_;
}

void PacedPublishers::start() {
  start_ = Clock::now();
  ++active_;
  watchdog_ = std::make_unique<Watchdog>(io_, active_, due_at(total_) + std::chrono::seconds(10));
  watchdog_->start();
  if (total_ == 0) {
    --active_;
    return;
  }
  tick();
}

void PacedPublishers::tick() {
  while (!idle_.empty() && next_ < due_by(Clock::now())) {
    PublishConnection* c = idle_.back();
    idle_.pop_back();
    send_due(*c);
  }
  if (next_ == total_) return;
  // Wake at the next due time; while every connection is busy, look again every 200 us.
  timer_.expires_at(std::max(due_at(next_), Clock::now() + std::chrono::microseconds(200)));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

PublishTally PacedPublishers::tally() const { return tally_of(connections_, start_, watchdog_ && watchdog_->fired()); }

}  // namespace sluice::bench
