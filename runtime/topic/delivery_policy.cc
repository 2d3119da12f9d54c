#include "runtime/topic/delivery_policy.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace sluice::topic {
namespace {

using nlohmann::json;

constexpr const char* kBackoffNames[] = {"linear", "arithmetic", "geometric", "exponential"};

Failure<Error> bad(const std::string& field, std::string why) {
  return fail(errc::invalid_argument, field, "DeliveryPolicy: " + std::move(why));
}

// Reads an integer member in [lo, hi] into `out`, if present.
Status<Error> read_int(const json& o, const char* key, int lo, int hi, int& out, const std::string& field) {
  auto it = o.find(key);
  if (it == o.end()) return {};
  if (!it->is_number_integer()) return bad(field, std::string(key) + " must be an integer");
  const int64_t v = it->get<int64_t>();
  if (v < lo || v > hi)
    return bad(field, std::string(key) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  out = int(v);
  return {};
}

Status<Error> read_retry(const json& o, RetryPolicy& r, const std::string& field) {
  if (!o.is_object()) return bad(field, "healthyRetryPolicy must be an object");
  for (const auto& [k, v] : o.items()) {
    static const char* kKnown[] = {"minDelayTarget",     "maxDelayTarget",     "numRetries",     "numNoDelayRetries",
                                   "numMinDelayRetries", "numMaxDelayRetries", "backoffFunction"};
    if (std::none_of(std::begin(kKnown), std::end(kKnown), [&](const char* n) { return k == n; }))
      return bad(field, "unknown healthyRetryPolicy member " + k);
    (void)v;
  }
  Status<Error> s;
  if (!(s = read_int(o, "minDelayTarget", 1, kMaxRetryPolicySeconds, r.min_delay_target, field))) return s;
  if (!(s = read_int(o, "maxDelayTarget", 1, kMaxRetryPolicySeconds, r.max_delay_target, field))) return s;
  if (!(s = read_int(o, "numRetries", 0, kMaxRetries, r.num_retries, field))) return s;
  if (!(s = read_int(o, "numNoDelayRetries", 0, kMaxRetries, r.num_no_delay_retries, field))) return s;
  if (!(s = read_int(o, "numMinDelayRetries", 0, kMaxRetries, r.num_min_delay_retries, field))) return s;
  if (!(s = read_int(o, "numMaxDelayRetries", 0, kMaxRetries, r.num_max_delay_retries, field))) return s;
  if (auto it = o.find("backoffFunction"); it != o.end()) {
    const auto* name = it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
    auto f = name ? std::find(std::begin(kBackoffNames), std::end(kBackoffNames), *name) : std::end(kBackoffNames);
    if (f == std::end(kBackoffNames))
      return bad(field, "backoffFunction must be one of linear, arithmetic, geometric, exponential");
    r.backoff = Backoff(f - std::begin(kBackoffNames));
  }
  if (r.min_delay_target > r.max_delay_target) return bad(field, "minDelayTarget must not exceed maxDelayTarget");
  if (r.num_no_delay_retries + r.num_min_delay_retries + r.num_max_delay_retries > r.num_retries)
    return bad(field, "the retries of the immediate, pre-backoff and post-backoff phases exceed numRetries");
  int64_t total = 0;
  for (int n = 0; auto d = r.delay_before(n); ++n) total += *d;
  if (total > kMaxRetryPolicySeconds)
    return bad(field, "the retries span " + std::to_string(total) + " seconds; at most " +
                          std::to_string(kMaxRetryPolicySeconds) + " are allowed");
  return {};
}

Status<Error> read_sections(const json& o, const char* retry, const char* throttle, const char* request,
                            DeliveryPolicy& p, const std::string& field) {
  if (auto it = o.find(retry); it != o.end() && !it->is_null()) {
    auto s = read_retry(*it, p.retry, field);
    if (!s) return s;
  }
  if (auto it = o.find(throttle); it != o.end() && !it->is_null()) {
    if (!it->is_object()) return bad(field, std::string(throttle) + " must be an object");
    int rate = 0;
    auto s = read_int(*it, "maxReceivesPerSecond", 1, 1'000'000, rate, field);
    if (!s) return s;
    if (rate) p.max_receives_per_second = rate;
  }
  if (auto it = o.find(request); it != o.end() && !it->is_null()) {
    if (!it->is_object()) return bad(field, std::string(request) + " must be an object");
    if (auto h = it->find("headerContentType"); h != it->end()) {
      if (!h->is_string()) return bad(field, "headerContentType must be a string");
      p.header_content_type = h->get<std::string>();
    }
  }
  return {};
}

std::optional<json> parse_object(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

}  // namespace

std::optional<int> RetryPolicy::delay_before(int n) const {
  if (n < 0 || n >= num_retries) return std::nullopt;
  if (n < num_no_delay_retries) return 0;
  n -= num_no_delay_retries;
  if (n < num_min_delay_retries) return min_delay_target;
  n -= num_min_delay_retries;
  const int backoff_retries = num_retries - num_no_delay_retries - num_min_delay_retries - num_max_delay_retries;
  if (n >= backoff_retries) return max_delay_target;
  // Step k of m climbs from the minimum to the maximum along the function's curve.
  const double k = n + 1, m = backoff_retries, lo = min_delay_target, hi = max_delay_target;
  double d = hi;
  switch (backoff) {
    case Backoff::linear:
      d = lo + (hi - lo) * k / m;
      break;
    case Backoff::arithmetic:
      d = lo + (hi - lo) * (k * (k + 1)) / (m * (m + 1));
      break;
    case Backoff::geometric:
      d = lo * std::pow(hi / lo, k / m);
      break;
    case Backoff::exponential:
      d = lo + (hi - lo) * (std::pow(2.0, k) - 1) / (std::pow(2.0, m) - 1);
      break;
  }
  return int(std::clamp(std::lround(d), long(min_delay_target), long(max_delay_target)));
}

RetryPolicy http_default_retry_policy() { return RetryPolicy{}; }

RetryPolicy managed_retry_policy() {
  RetryPolicy r;
  r.num_no_delay_retries = 3;
  r.num_min_delay_retries = 2;
  r.min_delay_target = 1;
  r.max_delay_target = 20;
  r.num_max_delay_retries = 100'000;
  r.num_retries = 3 + 2 + 10 + 100'000;
  r.backoff = Backoff::exponential;
  return r;
}

Result<DeliveryPolicy, Error> parse_topic_delivery_policy(std::string_view text, const std::string& field) {
  auto j = parse_object(text);
  if (!j) return bad(field, "must be a JSON object");
  DeliveryPolicy p;
  auto http = j->find("http");
  if (http == j->end()) return p;
  if (!http->is_object()) return bad(field, "http must be an object");
  auto s = read_sections(*http, "defaultHealthyRetryPolicy", "defaultThrottlePolicy", "defaultRequestPolicy", p, field);
  if (!s) return Failure<Error>{s.error()};
  if (auto d = http->find("disableSubscriptionOverrides"); d != http->end()) {
    if (!d->is_boolean()) return bad(field, "disableSubscriptionOverrides must be a boolean");
    p.disable_subscription_overrides = d->get<bool>();
  }
  return p;
}

Result<DeliveryPolicy, Error> parse_subscription_delivery_policy(std::string_view text, const std::string& field) {
  auto j = parse_object(text);
  if (!j) return bad(field, "must be a JSON object");
  DeliveryPolicy p;
  auto s = read_sections(*j, "healthyRetryPolicy", "throttlePolicy", "requestPolicy", p, field);
  if (!s) return Failure<Error>{s.error()};
  return p;
}

DeliveryPolicy effective_delivery_policy(const std::optional<DeliveryPolicy>& topic,
                                         const std::optional<DeliveryPolicy>& subscription) {
  if (topic && topic->disable_subscription_overrides) return *topic;
  if (subscription) return *subscription;
  return topic ? *topic : DeliveryPolicy{};
}

std::string render_delivery_policy(const DeliveryPolicy& p) {
  json retry = {{"minDelayTarget", p.retry.min_delay_target},
                {"maxDelayTarget", p.retry.max_delay_target},
                {"numRetries", p.retry.num_retries},
                {"numMaxDelayRetries", p.retry.num_max_delay_retries},
                {"numNoDelayRetries", p.retry.num_no_delay_retries},
                {"numMinDelayRetries", p.retry.num_min_delay_retries},
                {"backoffFunction", kBackoffNames[int(p.retry.backoff)]}};
  json out = {{"healthyRetryPolicy", retry},
              {"sicklyRetryPolicy", nullptr},
              {"throttlePolicy", nullptr},
              {"guaranteed", false}};
  if (p.max_receives_per_second) out["throttlePolicy"] = {{"maxReceivesPerSecond", *p.max_receives_per_second}};
  if (!p.header_content_type.empty()) out["requestPolicy"] = {{"headerContentType", p.header_content_type}};
  return out.dump();
}

}  // namespace sluice::topic
