// publish: a topic with N SQS subscriptions (raw delivery, one queue each); 64
// connections publish a 1 KiB message in a closed loop for a warm-up and a
// window; then the queues are polled until each holds every acknowledged
// publish. Publish rate and latency come from the window; delivered/s is every
// message that reached a queue over the time from the first publish to the
// moment the last one was there.

#include "bench/sns/publisher.h"
#include "bench/sns/scenarios.h"
#include "bench/sns/sns_query.h"
#include "bench/sqs/blocking_client.h"
#include "bench/sqs/sqs_json.h"

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <thread>
#include <vector>

namespace sluice::bench {
namespace {

namespace asio = boost::asio;

constexpr auto kPollEvery = std::chrono::milliseconds(20);

void fail(nlohmann::json& out, const std::string& what) {
  out["status"] = "error";
  out["errors"] = 1;
  out["error_samples"] = {{{"count", 1}, {"error", what.substr(0, 300)}}};
}

struct QueueFanout {
  std::string topic_arn;
  std::vector<std::string> queue_urls;
};

// CreateTopic, then per subscription CreateQueue, its QueueArn and Subscribe
// (sqs, RawMessageDelivery). Empty topic_arn (and `out` an error result) on failure.
QueueFanout set_up(BlockingClient& client, const std::string& name, int subscriptions, nlohmann::json& out) {
  QueueFanout f;
  auto topic = client.call_raw(sns::request(client.host_port(), sns::create_topic_form(name)));
  std::string topic_arn = topic.ok() ? sns::xml_value(topic.body, "TopicArn") : "";
  if (topic_arn.empty()) {
    fail(out, "CreateTopic: " + topic.describe());
    return f;
  }
  for (int i = 0; i < subscriptions; ++i) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "-q%02d", i);
    std::string url = create_queue_or_fail(client, name + suffix, out);
    if (url.empty()) return f;
    auto attrs = client.call("GetQueueAttributes",
                             "{\"QueueUrl\":" + sqs::json_string(url) + ",\"AttributeNames\":[\"QueueArn\"]}");
    std::string arn = attrs.ok() ? std::string(sqs::scan_string(attrs.body, "QueueArn")) : "";
    if (arn.empty()) {
      fail(out, "GetQueueAttributes(QueueArn): " + attrs.describe());
      return f;
    }
    auto sub = client.call_raw(sns::request(client.host_port(), sns::subscribe_form(topic_arn, "sqs", arn, true)));
    std::string sub_arn = sub.ok() ? sns::xml_value(sub.body, "SubscriptionArn") : "";
    if (sub_arn.empty() || sub_arn == "pending confirmation") {
      fail(out, "Subscribe(sqs): " + sub.describe());
      return f;
    }
    f.queue_urls.push_back(url);
  }
  f.topic_arn = topic_arn;
  return f;
}

// Visible + in flight over all the queues; nullopt (and `error`) if a call fails.
std::optional<int64_t> messages_in(BlockingClient& client, const std::vector<std::string>& urls, std::string& error) {
  int64_t total = 0;
  for (const auto& url : urls) {
    auto r = client.call("GetQueueAttributes", sqs::get_queue_attributes_body(url));
    sqs::QueueCounts c = r.ok() ? sqs::queue_counts_of(r.body) : sqs::QueueCounts{};
    if (!c.ok) {
      error = "GetQueueAttributes: " + r.describe();
      return std::nullopt;
    }
    total += c.visible + c.not_visible;
  }
  return total;
}

}  // namespace

nlohmann::json run_publish(const SnsOptions& o) {
  nlohmann::json out = {{"scenario", "publish"},        {"subscriptions", o.subscriptions},
                        {"connections", o.connections}, {"body_bytes", o.body_bytes},
                        {"seconds", o.duration_s},      {"warmup_seconds", o.warmup_s}};
  BlockingClient setup(o.host, o.port);
  QueueFanout fanout = set_up(setup, "bench-fanout-" + std::to_string(o.subscriptions), o.subscriptions, out);
  if (fanout.topic_arn.empty()) return out;
  std::string error;
  auto before = messages_in(setup, fanout.queue_urls, error);
  if (!before || *before != 0) {
    fail(out, before ? "the new queues are not empty" : error);
    return out;
  }

  std::string request =
      sns::request(setup.host_port(), sns::publish_form(fanout.topic_arn, sqs::message_body(o.body_bytes)));
  asio::io_context io;
  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  auto begin = Clock::now();
  auto window_start = begin + seconds(o.warmup_s);
  auto window_end = window_start + seconds(o.duration_s);
  ClosedLoopPublishers publishers(io, server, request, o.connections, window_start, window_end, window_end, 0);
  publishers.start();
  run_io(io, o.threads);
  PublishTally t = publishers.tally();

  // Poll until every queue holds every acknowledged publish, or nothing moves for
  // settle_s, or the bound passes. A count observed complete at time T means the
  // last delivery happened by T: the error is at most one poll of all queues.
  const int64_t expected = static_cast<int64_t>(t.acknowledged) * o.subscriptions;
  const auto deadline = Clock::now() + seconds(o.timeout_s);
  int64_t seen = -1;
  auto last_change = Clock::now();
  bool complete = false;
  bool poll_failed = false;
  for (;;) {
    auto n = messages_in(setup, fanout.queue_urls, error);
    auto now = Clock::now();
    if (!n) {
      poll_failed = true;
      break;
    }
    if (*n != seen) {
      seen = *n;
      last_change = now;
    }
    if (seen >= expected) {
      complete = true;
      break;
    }
    if (now - last_change > seconds(o.settle_s) || now > deadline) break;
    std::this_thread::sleep_for(kPollEvery);
  }
  const double delivery_s = seconds_between(t.first_sent, last_change);

  RunStats& stats = t.window;
  if (poll_failed) stats.error(error);
  out["threads"] = o.threads;
  out["requests"] = stats.ok;
  out["rate"] = static_cast<double>(stats.ok) / o.duration_s;
  out["rate_unit"] = "publish/s";
  stats.add_latency(out);
  out["published"] = t.acknowledged;
  out["publish_seconds"] = seconds_between(t.first_sent, t.last_reply);
  out["expected_deliveries"] = expected;
  out["delivered"] = std::max<int64_t>(seen, 0);
  out["shortfall"] = std::max<int64_t>(expected - seen, 0);
  out["delivery_seconds"] = delivery_s;
  out["delivery_lag_seconds"] = seconds_between(t.last_reply, last_change);
  out["delivered_rate"] = delivery_s > 0 ? static_cast<double>(std::max<int64_t>(seen, 0)) / delivery_s : 0;
  // Publishes whose every delivery was made, per second: the end-to-end publish rate.
  out["fanned_out_rate"] = delivery_s > 0 && complete ? static_cast<double>(t.acknowledged) / delivery_s : 0;
  out["verify"] = complete ? (seen == expected ? "ok" : "extra") : "short";
  out["connects"] = t.connects;
  out["errors"] = stats.errors;
  out["error_samples"] = stats.error_samples();
  out["status"] = stats.errors == 0 ? "ok" : "errors";
  return out;
}

}  // namespace sluice::bench
