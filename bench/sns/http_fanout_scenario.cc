// http-fanout: a topic with one HTTP subscription (the JSON envelope, as SNS
// sends by default) to each of 16 loopback receivers (receiver.h), confirmed by
// visiting the SubscribeURL each receiver was sent. Two phases on that topic:
//
//   throughput: a fixed number of publishes on closed-loop connections, then wait
//     until every receiver has every notification; notifications/s over the time
//     from the first publish to the last notification.
//   latency: publishes paced at a fixed rate (by default half the throughput
//     phase's, in publishes/s) for --duration; delivery latency is receive time
//     minus the time the publish was due, stamped in the message.

#include "bench/sns/publisher.h"
#include "bench/sns/receiver.h"
#include "bench/sns/scenarios.h"
#include "bench/sns/sns_query.h"
#include "bench/sqs/blocking_client.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <charconv>
#include <set>
#include <thread>

namespace sluice::bench {
namespace {

namespace asio = boost::asio;

constexpr auto kPollEvery = std::chrono::milliseconds(10);
constexpr double kConfirmSeconds = 30;

void fail(nlohmann::json& out, const std::string& what) {
  out["status"] = "error";
  out["errors"] = 1;
  out["error_samples"] = {{{"count", 1}, {"error", what.substr(0, 300)}}};
}

// GETs a SubscribeURL (http://host[:port]/path?query), as a subscriber confirms.
bool visit(const std::string& url, std::string& error) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    error = "SubscribeURL is not http: " + url;
    return false;
  }
  std::string rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string host_port = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string host = host_port.substr(0, host_port.find(':'));
  uint16_t port = 80;
  if (size_t colon = host_port.find(':'); colon != std::string::npos) {
    std::from_chars(host_port.data() + colon + 1, host_port.data() + host_port.size(), port);
  }
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  if (ec) {
    error = "SubscribeURL host is not a loopback address: " + url;
    return false;
  }
  BlockingClient client(host, port);
  auto r = client.call_raw("GET " + path + " HTTP/1.1\r\nHost: " + host_port + "\r\nConnection: close\r\n\r\n", 10);
  if (!r.ok() || r.body.find("<SubscriptionArn>") == std::string::npos) {
    error = "ConfirmSubscription (GET SubscribeURL): " + r.describe();
    return false;
  }
  return true;
}

struct Wait {
  uint64_t received = 0;
};

// Waits until the receiver has `expected` notifications of `phase`, or none came
// for settle_s, or timeout_s passed.
Wait wait_for(const NotificationReceiver& receiver, int phase, uint64_t expected, const SnsOptions& o) {
  Wait w;
  auto deadline = Clock::now() + seconds(o.timeout_s);
  auto last_change = Clock::now();
  uint64_t seen = receiver.received(phase);
  for (;;) {
    uint64_t n = receiver.received(phase);
    auto now = Clock::now();
    if (n != seen) {
      seen = n;
      last_change = now;
    }
    if (seen >= expected || now - last_change > seconds(o.settle_s) || now > deadline) break;
    std::this_thread::sleep_for(kPollEvery);
  }
  w.received = seen;
  return w;
}

double span_seconds(Clock::time_point first, int64_t last_nanos) {
  return static_cast<double>(last_nanos - steady_nanos(first)) / 1e9;
}

}  // namespace

nlohmann::json run_http_fanout(const SnsOptions& o) {
  nlohmann::json out = {{"scenario", "http-fanout"},
                        {"endpoints", o.endpoints},
                        {"subscriptions", o.endpoints},
                        {"body_bytes", o.body_bytes}};
  NotificationReceiver receiver(o.endpoints);
  receiver.start();
  BlockingClient setup(o.host, o.port);

  auto topic = setup.call_raw(sns::request(setup.host_port(), sns::create_topic_form("bench-http-fanout")));
  std::string topic_arn = topic.ok() ? sns::xml_value(topic.body, "TopicArn") : "";
  if (topic_arn.empty()) {
    fail(out, "CreateTopic: " + topic.describe());
    return out;
  }
  int pending = 0;
  for (int i = 0; i < o.endpoints; ++i) {
    auto sub =
        setup.call_raw(sns::request(setup.host_port(), sns::subscribe_form(topic_arn, "http", receiver.url(i), false)));
    std::string arn = sub.ok() ? sns::xml_value(sub.body, "SubscriptionArn") : "";
    if (arn.empty()) {
      fail(out, "Subscribe(http): " + sub.describe());
      return out;
    }
    // SNS (and the sidecar) answer "pending confirmation" and send a SubscriptionConfirmation;
    // moto confirms HTTP subscriptions at once and sends none.
    if (arn == "pending confirmation" || arn == "PendingConfirmation") ++pending;
  }
  std::set<int> confirmed;
  auto confirm_deadline = Clock::now() + seconds(kConfirmSeconds);
  while (static_cast<int>(confirmed.size()) < pending && Clock::now() < confirm_deadline) {
    for (const auto& [endpoint, url] : receiver.take_confirmations()) {
      if (confirmed.count(endpoint)) continue;  // a resent confirmation
      std::string error;
      if (!visit(url, error)) {
        fail(out, error);
        return out;
      }
      confirmed.insert(endpoint);
    }
    std::this_thread::sleep_for(kPollEvery);
  }
  out["confirmed"] = confirmed.size();
  if (static_cast<int>(confirmed.size()) < pending) {
    fail(out, std::to_string(pending - confirmed.size()) + " of " + std::to_string(pending) +
                  " HTTP subscriptions got no SubscriptionConfirmation within 30 s");
    return out;
  }

  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  RunStats errors;

  // Throughput: a fixed number of publishes, closed loop.
  PublishTally t0;
  Wait w0;
  {
    asio::io_context io;
    std::string request =
        sns::request(setup.host_port(), sns::publish_form(topic_arn, sns::stamped_message(o.body_bytes, 0)));
    auto stop_at = Clock::now() + seconds(o.timeout_s);
    ClosedLoopPublishers publishers(io, server, request, o.fanout_connections, Clock::time_point{},
                                    Clock::time_point::max(), stop_at, o.fanout_messages);
    publishers.start();
    run_io(io, o.threads);
    t0 = publishers.tally();
    w0 = wait_for(receiver, 0, t0.acknowledged * o.endpoints, o);
  }
  errors.merge(t0.window);
  double span0 = w0.received ? span_seconds(t0.first_sent, receiver.last_received_nanos(0)) : 0;
  double throughput = span0 > 0 ? static_cast<double>(w0.received) / span0 : 0;

  // Latency: paced at a rate the server keeps up with.
  double rate = o.fanout_rate > 0 ? o.fanout_rate : std::max(1.0, 0.5 * throughput / o.endpoints);
  PublishTally t1;
  Wait w1;
  uint64_t planned = 0, late = 0;
  {
    asio::io_context io;
    std::string request =
        sns::request(setup.host_port(), sns::publish_form(topic_arn, sns::stamped_message(o.body_bytes, 1)));
    PacedPublishers publishers(io, server, request, o.connections, rate, o.duration_s);
    publishers.start();
    io.run();
    t1 = publishers.tally();
    planned = publishers.planned();
    late = publishers.late();
    w1 = wait_for(receiver, 1, t1.acknowledged * o.endpoints, o);
  }
  errors.merge(t1.window);
  double span1 = w1.received ? span_seconds(t1.first_sent, receiver.last_received_nanos(1)) : 0;

  receiver.stop();
  if (receiver.unexpected() > 0) {
    errors.errors += receiver.unexpected();
    errors.error_kinds["receiver: " + receiver.first_unexpected().substr(0, 180)] += receiver.unexpected();
  }
  auto per_endpoint = receiver.per_endpoint(0);
  auto per_endpoint1 = receiver.per_endpoint(1);
  for (size_t i = 0; i < per_endpoint.size(); ++i) per_endpoint[i] += per_endpoint1[i];
  const LatencyHistogram& saturated = receiver.latency(0);
  const LatencyHistogram& paced = receiver.latency(1);

  out["threads"] = o.threads;
  // Throughput phase.
  out["throughput_connections"] = o.fanout_connections;
  out["throughput_published"] = t0.acknowledged;
  out["throughput_publish_rate"] =
      t0.acknowledged ? static_cast<double>(t0.acknowledged) / seconds_between(t0.first_sent, t0.last_reply) : 0;
  out["throughput_publish_p99_us"] = t0.window.latency.percentile(0.99) / 1000.0;
  out["throughput_expected"] = t0.acknowledged * o.endpoints;
  out["throughput_delivered"] = w0.received;
  out["throughput_seconds"] = span0;
  out["rate"] = throughput;
  out["rate_unit"] = "notif/s";
  out["saturated_p50_us"] = saturated.percentile(0.50) / 1000.0;
  out["saturated_p99_us"] = saturated.percentile(0.99) / 1000.0;
  // Latency phase.
  out["paced_rate"] = rate;
  out["paced_seconds"] = o.duration_s;
  out["paced_connections"] = o.connections;
  out["paced_planned"] = planned;
  out["paced_late"] = late;
  out["paced_published"] = t1.acknowledged;
  out["paced_publish_p99_us"] = t1.window.latency.percentile(0.99) / 1000.0;
  out["paced_expected"] = t1.acknowledged * o.endpoints;
  out["paced_delivered"] = w1.received;
  out["paced_notification_rate"] = span1 > 0 ? static_cast<double>(w1.received) / span1 : 0;
  out["p50_us"] = paced.percentile(0.50) / 1000.0;
  out["p90_us"] = paced.percentile(0.90) / 1000.0;
  out["p99_us"] = paced.percentile(0.99) / 1000.0;
  out["max_us"] = paced.percentile(1.0) / 1000.0;
  out["per_endpoint_min"] = per_endpoint.empty() ? 0 : *std::min_element(per_endpoint.begin(), per_endpoint.end());
  out["per_endpoint_max"] = per_endpoint.empty() ? 0 : *std::max_element(per_endpoint.begin(), per_endpoint.end());
  // What the receivers got against what was acknowledged, phase by phase.
  auto verdict = [&](uint64_t got, uint64_t published) {
    uint64_t want = published * o.endpoints;
    return got < want ? "short" : got > want ? "extra" : "ok";
  };
  std::string v0 = verdict(w0.received, t0.acknowledged), v1 = verdict(w1.received, t1.acknowledged);
  out["verify"] = v0 != "ok" ? v0 : v1;
  out["connects"] = t0.connects + t1.connects;
  out["errors"] = errors.errors;
  out["error_samples"] = errors.error_samples();
  out["status"] = errors.errors == 0 ? "ok" : "errors";
  return out;
}

}  // namespace sluice::bench
