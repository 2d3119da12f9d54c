// memory (sluice only): `fill` loads the backlog whose footprint the script then
// reads from /proc; after the script kill -9s and restarts the server, `recover`
// measures how long until it serves the queue again and checks that every
// acknowledged message is still there.

#include "bench/sqs/blocking_client.h"
#include "bench/sqs/fill_phase.h"
#include "bench/sqs/scenarios.h"
#include "bench/sqs/sqs_json.h"

#include <thread>
#include <vector>

namespace sluice::bench {
namespace {

double seconds_since_realtime(int64_t since_ns) {
  auto now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return static_cast<double>(now - since_ns) / 1e9;
}

}  // namespace

nlohmann::json run_fill(const Options& o) {
  nlohmann::json out = {{"scenario", "fill"}};
  BlockingClient setup(o.host, o.port);
  std::string queue = o.queue.empty() ? "bench-memory" : o.queue;
  const std::string url = create_queue_or_fail(setup, queue, out);
  if (url.empty()) return out;
  FillResult fill = fill_queue(o, url, o.messages);
  out["queue"] = queue;
  out["messages"] = o.messages;
  out["acknowledged"] = fill.acknowledged;
  out["seconds"] = fill.seconds;
  out["rate"] = static_cast<double>(fill.acknowledged) / fill.seconds;
  out["rate_unit"] = "msg/s";
  fill.stats.add_latency(out);
  out["errors"] = fill.stats.errors;
  out["error_samples"] = fill.stats.error_samples();
  out["status"] = fill.timed_out ? "timeout" : fill.stats.errors == 0 ? "ok" : "errors";
  return out;
}

nlohmann::json run_recover(const Options& o) {
  nlohmann::json out = {{"scenario", "recover"}};
  std::string queue = o.queue.empty() ? "bench-memory" : o.queue;
  BlockingClient client(o.host, o.port);
  auto deadline = Clock::now() + seconds(o.timeout_s);
  uint64_t attempts = 0;
  std::string last_error;
  auto retry = [&](const BlockingClient::Reply& r) {
    ++attempts;
    last_error = r.describe();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Clock::now() < deadline;
  };

  // 1. The queue is known again.
  std::string url;
  for (;;) {
    auto r = client.call("GetQueueUrl", sqs::get_queue_url_body(queue), 5);
    if (r.ok() && !(url = sqs::queue_url_of(r.body)).empty()) break;
    if (!retry(r)) break;
  }
  if (url.empty()) {
    out["status"] = "timeout";
    out["errors"] = 1;
    out["error_samples"] = {{{"count", 1}, {"error", "GetQueueUrl never succeeded: " + last_error}}};
    return out;
  }
  out["queue_url_seconds"] = seconds_since_realtime(o.since_ns);

  // 2. A message can be received.
  bool received = false;
  std::string receive = sqs::receive_message_body(url, 1, 0);
  for (;;) {
    auto r = client.call("ReceiveMessage", receive, 5);
    std::vector<std::string_view> handles;
    if (r.ok() && sqs::scan_receipt_handles(r.body, handles) > 0) {
      received = true;
      break;
    }
    if (!retry(r)) break;
  }
  out["serving_seconds"] = seconds_since_realtime(o.since_ns);
  out["attempts"] = attempts;
  if (!received) {
    out["status"] = "timeout";
    out["errors"] = 1;
    out["error_samples"] = {{{"count", 1}, {"error", "no message received: " + last_error}}};
    return out;
  }

  // 3. Everything acknowledged before the kill is still there (one now in flight).
  auto attrs = client.call("GetQueueAttributes", sqs::get_queue_attributes_body(url));
  auto counts = attrs.ok() ? sqs::queue_counts_of(attrs.body) : sqs::QueueCounts{};
  out["expected_backlog"] = o.expect;
  if (!counts.ok) {
    out["status"] = "errors";
    out["errors"] = 1;
    out["error_samples"] = {{{"count", 1}, {"error", "GetQueueAttributes: " + attrs.describe()}}};
    return out;
  }
  int64_t backlog = counts.visible + counts.not_visible;
  out["backlog_after"] = backlog;
  bool same = backlog == static_cast<int64_t>(o.expect);
  out["verify"] = same ? "ok" : "FAIL";
  out["errors"] = 0;
  out["status"] = same ? "ok" : "FAIL";
  return out;
}

}  // namespace sluice::bench
