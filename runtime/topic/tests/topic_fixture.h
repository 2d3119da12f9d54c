#pragma once
// A TopicService delivering into a real QueueService (in-memory stores, manual
// clock and scheduler) and into a scripted HTTP client, with synchronous
// helpers around the callback API.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <deque>

#include "runtime/queue/tests/queue_fixture.h"
#include "runtime/topic/topic_service.h"

namespace sluice::topic::testing {

// Waits for a callback: with in-memory stores and the manual scheduler, every
// operation completes within run_pending().
template <class R>
R await(sluice::testing::ManualScheduler& scheduler, const std::function<void(std::function<void(R)>)>& start) {
  std::optional<R> out;
  start([&](R r) { out.emplace(std::move(r)); });
  scheduler.run_pending();
  if (!out) {
    ADD_FAILURE() << "the operation did not complete";
    throw std::runtime_error("the operation did not complete");
  }
  return std::move(*out);
}

// An HttpClient whose replies the test decides: each request is kept, and
// answered by `reply` (a status, or 0 for "unreachable"); `hold` keeps requests
// unanswered until release().
class ScriptedHttp final : public HttpClient {
 public:
  explicit ScriptedHttp(Scheduler& scheduler) : scheduler_(scheduler) {}

  void send(HttpClientRequest request, std::function<void(HttpClientReply)> done) override {
    std::lock_guard lock(mu_);
    requests.push_back(request);
    if (hold) {
      held_.push_back(std::move(done));
      return;
    }
    HttpClientReply r;
    r.status = reply(request);
    if (!r.status) r.error = "connection refused";
    scheduler_.post([done = std::move(done), r] { done(r); });
  }

  void release(int status) {
    std::deque<std::function<void(HttpClientReply)>> held;
    {
      std::lock_guard lock(mu_);
      held.swap(held_);
    }
    for (auto& d : held) scheduler_.post([d, status] { d(HttpClientReply{status, {}, {}, ""}); });
  }

  std::vector<HttpClientRequest> of_type(const std::string& type) {
    std::lock_guard lock(mu_);
    std::vector<HttpClientRequest> out;
    for (const auto& r : requests)
      for (const auto& [k, v] : r.headers)
        if (k == "x-amz-sns-message-type" && v == type) out.push_back(r);
    return out;
  }

  std::function<int(const HttpClientRequest&)> reply = [](const HttpClientRequest&) { return 200; };
  bool hold = false;
  std::vector<HttpClientRequest> requests;

 private:
  Scheduler& scheduler_;
  std::mutex mu_;
  std::deque<std::function<void(HttpClientReply)>> held_;
};

class TopicFixture : public queue::testing::QueueFixture {
 protected:
  ScriptedHttp http{scheduler};
  // One store for topics and queues, as in the sidecar: caught-up SQS
  // subscriptions then write through (their copies in the publish's commit).
  storage::Store& topic_store = durable;
  TopicServiceOptions options;
  std::unique_ptr<TopicService> topics = make_service();

  std::unique_ptr<TopicService> make_service() {
    DeliveryContext c;
    c.queues = service.get();
    c.http = &http;
    c.base_url = "http://sns.test:4566";
    auto t = std::make_unique<TopicService>(options, topic_store, clock, scheduler, c);
    auto r = t->recover();  // also starts the sweep
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return t;
  }

  // A restart: the old service stops, a new one recovers from the same store.
  void restart() {
    topics->stop();
    topics.reset();
    topics = make_service();
    scheduler.run_pending();
  }

  static TopicKey key(const std::string& name) {
    return TopicKey{queue::testing::kRegion, queue::testing::kAccount, name};
  }

  TopicPtr create_topic(const std::string& name, StringPairs attributes = {}) {
    if (name.size() > 5 && name.substr(name.size() - 5) == ".fifo") attributes.emplace_back("FifoTopic", "true");
    auto t = await<Result<TopicPtr, Error>>(
        scheduler, [&](auto done) { topics->create_topic(key(name), attributes, {}, "", done); });
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    return t.ok() ? *t : nullptr;
  }

  Result<SubscriptionView, Error> subscribe(const TopicPtr& t, const std::string& protocol, const std::string& endpoint,
                                            StringPairs attributes = {}) {
    return await<Result<SubscriptionView, Error>>(scheduler, [&](auto done) {
      topics->subscribe(t, SubscribeRequest{protocol, endpoint, attributes, queue::testing::kAccount}, done);
    });
  }

  std::string subscribe_ok(const TopicPtr& t, const std::string& protocol, const std::string& endpoint,
                           StringPairs attributes = {}) {
    auto s = subscribe(t, protocol, endpoint, std::move(attributes));
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? s->subscription->arn() : "";
  }

  static PublishEntry message(std::string body, MessageAttributes attributes = {}) {
    PublishEntry e;
    e.message = std::move(body);
    e.attributes = std::move(attributes);
    return e;
  }

  std::vector<Result<PublishOutcome, Error>> publish_all(const TopicPtr& t, std::vector<PublishEntry> entries) {
    auto r = await<std::vector<Result<PublishOutcome, Error>>>(
        scheduler, [&](auto done) { topics->publish(t, std::move(entries), done); });
    scheduler.run_pending();
    return r;
  }

  Result<PublishOutcome, Error> publish(const TopicPtr& t, PublishEntry e) {
    std::vector<PublishEntry> v;
    v.push_back(std::move(e));
    return std::move(publish_all(t, std::move(v))[0]);
  }

  // Every message the queue holds, received (and so hidden), as body strings.
  std::vector<std::string> bodies(const queue::QueuePtr& q) {
    std::vector<std::string> out;
    for (;;) {
      auto batch = receive(q, 10);
      if (batch.empty()) return out;
      for (auto& m : batch) out.push_back(m.blob.body);
    }
  }

  // The "Message" of each SNS envelope in the queue.
  std::vector<std::string> messages(const queue::QueuePtr& q) {
    std::vector<std::string> out;
    for (const auto& b : bodies(q)) out.push_back(nlohmann::json::parse(b).at("Message").get<std::string>());
    return out;
  }

  void advance_seconds(int s) {
    for (int i = 0; i < s; ++i) {
      clock.advance(1000);
      scheduler.run_pending();
    }
  }
};

}  // namespace sluice::topic::testing
