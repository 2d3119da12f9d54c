#pragma once

// What one worker observed: latencies of good requests and a tally of failures by
// kind. One per worker (its handlers never run concurrently), merged at the end.

#include "bench/sqs/http_connection.h"
#include "bench/sqs/latency_histogram.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace sluice::bench {

struct RunStats {
  LatencyHistogram latency;
  uint64_t ok = 0;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> error_kinds;

  void error(const std::string& kind) {
    ++errors;
    ++error_kinds[kind.substr(0, 200)];
  }

  // Counts a transport error or a non-200 reply, described for the report.
  void error(const boost::system::error_code& ec, const HttpResponse& r) {
    if (ec) {
      error("transport: " + ec.message());
    } else {
      error("HTTP " + std::to_string(r.status) + ": " + std::string(r.body.substr(0, 160)));
    }
  }

  void merge(const RunStats& other) {
    latency.merge(other.latency);
    ok += other.ok;
    errors += other.errors;
    for (const auto& [kind, n] : other.error_kinds) error_kinds[kind] += n;
  }

  // The most frequent kinds, so a failing run says why.
  nlohmann::json error_samples() const {
    std::multimap<uint64_t, std::string, std::greater<>> by_count;
    for (const auto& [kind, n] : error_kinds) by_count.emplace(n, kind);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [n, kind] : by_count) {
      if (out.size() == 5) break;
      out.push_back({{"count", n}, {"error", kind}});
    }
    return out;
  }

  void add_latency(nlohmann::json& out, const std::string& prefix = "") const {
    out[prefix + "p50_us"] = latency.percentile(0.50) / 1000.0;
    out[prefix + "p90_us"] = latency.percentile(0.90) / 1000.0;
    out[prefix + "p99_us"] = latency.percentile(0.99) / 1000.0;
  }
};

}  // namespace sluice::bench
