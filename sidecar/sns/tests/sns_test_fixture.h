#pragma once
// SNS through the generic endpoint, in process: a TopicService on an in-memory
// store, a manual clock and scheduler, an HTTP client that records what it is
// asked to send, and helpers that speak the query protocol the way the SDKs do
// (Accept: application/json for readable answers, XML where the test is about XML).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <mutex>

#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/storage/memory_store.h"
#include "runtime/topic/signing.h"
#include "runtime/topic/topic_service.h"
#include "sidecar/aws/testing/harness.h"
#include "sidecar/sns/sns_service.h"

namespace sluice::sns::testing {

using aws::testing::Harness;
using aws::testing::Identity;
using aws::testing::Params;
using aws::testing::Reply;
using json = nlohmann::json;

inline constexpr const char* kAccount = "000000000000";

// Records each request and answers 200 through the scheduler (never inside send()).
class RecordingHttp final : public HttpClient {
 public:
  explicit RecordingHttp(Scheduler& scheduler) : scheduler_(scheduler) {}
  void send(HttpClientRequest request, std::function<void(HttpClientReply)> done) override {
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
    }
    scheduler_.post([done = std::move(done)] { done(HttpClientReply{200, {}, "", ""}); });
  }
  // The JSON bodies of the requests whose x-amz-sns-message-type is `type`.
  std::vector<json> of_type(const std::string& type) {
    std::lock_guard lock(mu_);
    std::vector<json> out;
    for (const auto& r : requests_)
      for (const auto& [k, v] : r.headers)
        if (k == "x-amz-sns-message-type" && v == type) out.push_back(json::parse(r.body, nullptr, false));
    return out;
  }

 private:
  Scheduler& scheduler_;
  std::mutex mu_;
  std::vector<HttpClientRequest> requests_;
};

class SnsFixture : public ::testing::Test {
 protected:
  ManualClock clock{1'700'000'000'000};
  sluice::testing::ManualScheduler scheduler{clock};
  RecordingHttp http{scheduler};
  storage::MemoryStore store;
  // One key for every test: making an RSA key takes a while.
  static const topic::SigningKey* shared_key() {
    static const auto k = topic::SigningKey::generate().value();
    return k.get();
  }
  const topic::SigningKey* key = shared_key();

  // What a module gives the engine; `queues` is set by fixtures that have SQS.
  topic::DeliveryContext delivery(QueueTargets* queues = nullptr) {
    topic::DeliveryContext c;
    c.queues = queues;
    c.http = &http;
    c.signing = key;
    c.base_url = "http://localhost:4566";
    c.clock = &clock;
    c.scheduler = &scheduler;
    return c;
  }

  // The query protocol, signed for `who`, answered in JSON.
  static server::HttpRequest form_request(const std::string& action, const Params& params, const Identity& who) {
    Params all = {{"Action", action}, {"Version", "2010-03-31"}};
    all.insert(all.end(), params.begin(), params.end());
    server::HttpRequest req;
    req.method = "POST";
    req.path = "/";
    req.headers = {{"host", "localhost:4566"},
                   {"content-type", "application/x-www-form-urlencoded"},
                   {"accept", "application/json"},
                   {"authorization", Harness::authorization(who, "sns")}};
    req.body = Harness::form(all);
    return req;
  }

  // An unsigned GET of a URL the engine built (SubscribeURL, UnsubscribeURL, SigningCertURL).
  static server::HttpRequest get_url(const std::string& url) {
    const std::string base = "http://localhost:4566";
    std::string rest = url.substr(url.rfind(base, 0) == 0 ? base.size() : 0);
    server::HttpRequest req;
    req.method = "GET";
    const auto q = rest.find('?');
    req.path = rest.substr(0, q);
    req.query = q == std::string::npos ? "" : rest.substr(q + 1);
    req.headers = {{"host", "localhost:4566"}};
    return req;
  }

  // The Result of a JSON answer: {"<Action>Response": {"<Action>Result": {...}}}.
  static json result(const Reply& r, const std::string& action) {
    if (!r.body.is_object() || !r.body.contains(action + "Response")) return json();
    return r.body[action + "Response"].value(action + "Result", json());
  }

  // Query parameters of a map member: Attributes.entry.N.key / .value.
  static void add_map(Params& p, const std::string& name, const std::vector<std::pair<std::string, std::string>>& m) {
    for (size_t i = 0; i < m.size(); ++i) {
      const std::string base = name + ".entry." + std::to_string(i + 1);
      p.emplace_back(base + ".key", m[i].first);
      p.emplace_back(base + ".value", m[i].second);
    }
  }
  static void add_tags(Params& p, const std::vector<std::pair<std::string, std::string>>& tags) {
    for (size_t i = 0; i < tags.size(); ++i) {
      const std::string base = "Tags.member." + std::to_string(i + 1);
      p.emplace_back(base + ".Key", tags[i].first);
      p.emplace_back(base + ".Value", tags[i].second);
    }
  }
  static void add_list(Params& p, const std::string& name, const std::vector<std::string>& items) {
    for (size_t i = 0; i < items.size(); ++i) p.emplace_back(name + ".member." + std::to_string(i + 1), items[i]);
  }
  // MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue (or BinaryValue for Binary types).
  static void add_message_attribute(Params& p, const std::string& prefix, int n, const std::string& name,
                                    const std::string& type, const std::string& value) {
    const std::string base = prefix + "MessageAttributes.entry." + std::to_string(n);
    p.emplace_back(base + ".Name", name);
    p.emplace_back(base + ".Value.DataType", type);
    p.emplace_back(base + (type.rfind("Binary", 0) == 0 ? ".Value.BinaryValue" : ".Value.StringValue"), value);
  }

  static std::string arn(const std::string& name, const std::string& region = "us-east-1") {
    return "arn:aws:sns:" + region + ":" + kAccount + ":" + name;
  }
};

}  // namespace sluice::sns::testing
