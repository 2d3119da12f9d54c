// bulk-create: what an apply of many Queue manifests asks of the server. Creates N
// queues with CreateQueue on C connections, timing each consecutive block of
// `block` completed queues (a server whose cost per create grows with the number
// of queues shows later blocks getting slower), then lists them all with
// ListQueues(MaxResults=1000) + NextToken and checks that every one is there.

#include "bench/sqs/blocking_client.h"
#include "bench/sqs/create_phase.h"
#include "bench/sqs/scenarios.h"
#include "bench/sqs/sqs_json.h"
#include "bench/sqs/watchdog.h"

#include <boost/asio/ip/address.hpp>

#include <atomic>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sluice::bench {
namespace {

namespace asio = boost::asio;

constexpr int kListPage = 1000;  // the largest MaxResults SQS accepts

constexpr std::string_view kPrefix = "bench-bulk-";

struct Listing {
  uint64_t listed = 0;    // URLs of our queues over all pages
  uint64_t distinct = 0;  // of which different
  uint64_t other = 0;     // URLs of queues we did not make
  uint64_t pages = 0;
  double seconds = 0;
  std::string error;  // the call that failed, if one did
};

Listing list_all(BlockingClient& client, uint64_t expected) {
  Listing out;
  std::unordered_set<std::string> seen;
  seen.reserve(expected);
  std::vector<std::string_view> urls;
  std::string token;
  auto begin = Clock::now();
  // A server that hands back tokens forever must not hang the run.
  uint64_t max_pages = expected / kListPage + 10;
  for (;;) {
    auto r = client.call("ListQueues", sqs::list_queues_body(kListPage, token));
    ++out.pages;
    if (!r.ok()) {
      out.error = "ListQueues: " + r.describe();
      break;
    }
    urls.clear();
    sqs::scan_string_array(r.body, "QueueUrls", urls);
    for (auto u : urls) {
      if (u.find(kPrefix) == std::string_view::npos) {
        ++out.other;
        continue;
      }
      ++out.listed;
      seen.emplace(u);
    }
    token = sqs::scan_string(r.body, "NextToken");
    if (token.empty()) break;
    if (out.pages >= max_pages) {
      out.error = "ListQueues still returns a NextToken after " + std::to_string(out.pages) + " pages";
      break;
    }
  }
  out.seconds = seconds_between(begin, Clock::now());
  out.distinct = seen.size();
  return out;
}

}  // namespace

nlohmann::json run_bulk_create(const Options& o) {
  nlohmann::json out = {{"scenario", "bulk-create"}};
  auto mix = parse_create_mix(o.mix);
  if (!mix) return bad_mix_result("bulk-create", o.mix);
  uint64_t queues = o.queues == 0 ? 10000 : o.queues;
  BlockingClient setup(o.host, o.port);
  asio::io_context io;
  asio::ip::tcp::endpoint server(asio::ip::make_address(o.host), o.port);
  CreatePhase creates(io, server, setup.host_port(), std::string(kPrefix), queues, o.create_connections, *mix, o.block);
  std::atomic<int> active{0};
  auto begin = Clock::now();
  creates.start(begin, begin + seconds(o.timeout_s), active);
  Watchdog watchdog(io, active, begin + seconds(o.timeout_s) + std::chrono::seconds(30));
  watchdog.start();
  run_io(io, o.threads);

  double total = seconds_between(creates.started_at(), watchdog.fired() ? Clock::now() : creates.finished_at());
  std::vector<double> blocks = creates.block_seconds();
  RunStats all = creates.stats();
  if (watchdog.fired()) all.error("server stopped answering (30 s past --timeout)");
  if (creates.timed_out()) all.error("creates did not finish within --timeout");

  out["queues"] = queues;
  out["connections"] = o.create_connections;
  out["threads"] = o.threads;
  out["mix"] = mix->describe();
  out["block"] = o.block;
  out["created"] = creates.created();
  out["create_calls"] = creates.calls();
  out["seconds"] = total;
  out["rate"] = total > 0 ? static_cast<double>(creates.created()) / total : 0.0;
  out["rate_unit"] = "queues/s";
  all.add_latency(out);
  out["max_us"] = all.latency.percentile(1.0) / 1000.0;
  out["block_seconds"] = blocks;
  // Full blocks only: a short last block would flatter the ratio.
  size_t full = o.block > 0 ? static_cast<size_t>(creates.completed() / o.block) : 0;
  if (full >= 2 && blocks[0] > 0) out["block_ratio"] = blocks[full - 1] / blocks[0];

  bool listed_all = false;
  if (!watchdog.fired()) {
    Listing listing = list_all(setup, queues);
    out["list_seconds"] = listing.seconds;
    out["list_pages"] = listing.pages;
    out["listed"] = listing.listed;
    out["listed_distinct"] = listing.distinct;
    out["listed_other"] = listing.other;
    if (!listing.error.empty()) all.error(listing.error);
    listed_all = listing.error.empty() && listing.listed == queues && listing.distinct == queues;
  }
  out["verify"] = listed_all ? "ok" : "FAIL";
  out["errors"] = all.errors;
  out["error_samples"] = all.error_samples();
  if (creates.timed_out() || watchdog.fired()) {
    out["status"] = "timeout";
  } else if (all.errors > 0) {
    out["status"] = "errors";
  } else if (!listed_all || creates.created() != queues) {
    out["status"] = "FAIL";
  } else {
    out["status"] = "ok";
  }
  return out;
}

}  // namespace sluice::bench
