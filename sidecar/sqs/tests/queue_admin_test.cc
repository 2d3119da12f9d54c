// The admin API with the Queue kind, as the operator uses it: create-or-update
// from a spec, status, delete (and retain), the endpoint table's help and
// errors, and the queue metrics at each --metrics-level.

#include "sidecar/admin/admin_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/common/arn.h"
#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/queue/queue_resource.h"
#include "runtime/storage/memory_store.h"
#include "sidecar/metrics/metrics.h"
#include "sidecar/sqs/queue_metrics.h"

namespace sluice::admin {
namespace {

using json = nlohmann::json;

class AdminApiTest : public ::testing::Test {
 protected:
  AdminApiTest() { metrics.add_collectable(sqs::make_sqs_collector(queues, metrics::MetricsOptions{})); }

  queue::QueuePtr find(const std::string& account, const std::string& name) {
    return queues.find("us-east-1", account, name);
  }

  server::HttpResponse call(const std::string& method, const std::string& target, const std::string& body = "") {
    server::HttpRequest req;
    req.method = method;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    req.body = body;
    server::HttpResponse out;
    api.handle(std::move(req), [&](server::HttpResponse r) { out = std::move(r); });
    return out;
  }

  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::MemoryStore durable, memory;
  queue::QueueService queues{queue::QueueServiceOptions{}, durable, memory, clock, scheduler};
  queue::QueueResources resources{queues};
  metrics::Metrics metrics;
  AdminApi api{{&resources}, metrics, AdminConfig{"us-east-1", "", "http://sluice.example:4566", "{}"}};
};

TEST_F(AdminApiTest, PutCreatesThenUpdatesAndGetReportsStatus) {
  auto r = call("PUT", "/v1/namespaces/shop/queues/orders", R"({"visibilityTimeout": 45})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto status = json::parse(r.body);
  const std::string account = account_for_namespace("shop");
  EXPECT_EQ(status["queueUrl"], "http://sluice.example:4566/" + account + "/orders");
  EXPECT_EQ(status["queueArn"], "arn:aws:sqs:us-east-1:" + account + ":orders");
  EXPECT_EQ(status["accountId"], account);
  EXPECT_EQ(status["approximateNumberOfMessages"], 0);
  EXPECT_EQ(find(account, "orders")->attributes().visibility_timeout, 45);

  ASSERT_EQ(call("PUT", "/v1/namespaces/shop/queues/orders", R"({"visibilityTimeout": 60})").status, 200);
  EXPECT_EQ(find(account, "orders")->attributes().visibility_timeout, 60);
  auto got = call("GET", "/v1/namespaces/shop/queues/orders");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body)["queueName"], "orders");
  EXPECT_EQ(call("GET", "/v1/namespaces/shop/queues/missing").status, 404);
}

TEST_F(AdminApiTest, InvalidSpecsAreRejectedWithTheField) {
  auto r = call("PUT", "/v1/namespaces/shop/queues/orders", R"({"visibilityTimeout": "45", "bogus": 1})");
  EXPECT_EQ(r.status, 422);
  auto body = json::parse(r.body);
  EXPECT_EQ(body["details"].size(), 2u);
  EXPECT_EQ(call("PUT", "/v1/namespaces/shop/queues/orders", "{not json").status, 400);
  EXPECT_EQ(call("PUT", "/v1/namespaces/shop/queues/x",
                 R"({"redrivePolicy": {"deadLetterTargetQueue": "nope", "maxReceiveCount": 2}})")
                .status,
            422);
  EXPECT_TRUE(queues.all().empty());
}

TEST_F(AdminApiTest, DeleteRemovesOrRetains) {
  ASSERT_EQ(call("PUT", "/v1/namespaces/shop/queues/orders", "{}").status, 200);
  EXPECT_EQ(call("DELETE", "/v1/namespaces/shop/queues/orders?retain=true").status, 200);
  EXPECT_EQ(queues.all().size(), 1u);
  EXPECT_EQ(call("DELETE", "/v1/namespaces/shop/queues/orders").status, 200);
  EXPECT_TRUE(queues.all().empty());
  EXPECT_EQ(call("DELETE", "/v1/namespaces/shop/queues/orders").status, 404);
}

TEST_F(AdminApiTest, HealthReadinessHelpAndMetrics) {
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(call("GET", "/readyz").status, 503);
  api.set_ready(true);
  EXPECT_EQ(call("GET", "/readyz").status, 200);
  auto help = call("GET", "/help").body;
  for (const char* path : {"/healthz", "/readyz", "/metrics", "/config_dump", "/v1/{plural}",
                           "/v1/namespaces/{ns}/{plural}/{name}", "{plural}: queues"})
    EXPECT_NE(help.find(path), std::string::npos) << path;
  ASSERT_EQ(call("PUT", "/v1/namespaces/shop/queues/orders", "{}").status, 200);
  auto m = call("GET", "/metrics").body;
  EXPECT_NE(m.find("sluice_sqs_approximate_number_of_messages_visible{region=\"us-east-1\",account=\"" +
                   account_for_namespace("shop") + "\",queue=\"orders\"} 0"),
            std::string::npos)
      << m;
  EXPECT_EQ(call("GET", "/nope").status, 404);
  EXPECT_EQ(call("POST", "/healthz").status, 405);
}

TEST_F(AdminApiTest, NamespacesAndNamesAreChecked) {
  EXPECT_EQ(call("PUT", "/v1/namespaces/" + std::string(64, 'a') + "/queues/q", "{}").status, 422);
  EXPECT_EQ(call("PUT", "/v1/namespaces/Shop/queues/q", "{}").status, 422);
  EXPECT_EQ(call("GET", "/v1/namespaces/shop/queues/..").status, 422);
  EXPECT_EQ(call("PUT", "/v1/namespaces/shop/queues/q", R"({"queueName": "other"})").status, 422);
  EXPECT_EQ(call("GET", "/v1/namespaces/shop/topics/q").status, 404) << "a kind this runtime does not serve";
}

TEST_F(AdminApiTest, EveryQueueIsListedAndCounted) {
  ASSERT_EQ(call("PUT", "/v1/namespaces/shop/queues/a", "{}").status, 200);
  ASSERT_EQ(call("PUT", "/v1/namespaces/shop/queues/b", "{}").status, 200);
  EXPECT_EQ(json::parse(call("GET", "/v1/queues").body)["queues"].size(), 2u);
  EXPECT_EQ(json::parse(call("GET", "/v1/runtime").body)["resources"]["queues"], 2);
}

// Probe finding: /metrics with 10,000 queues was 8.9 MB. Per-queue series stop at
// --metrics-max-resources, the rest summed; --metrics-level service sums them all.
TEST(QueueMetrics, SeriesAreBoundedAndTotalsKept) {
  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::MemoryStore durable, memory;
  queue::QueueService queues{queue::QueueServiceOptions{}, durable, memory, clock, scheduler};
  for (int i = 0; i < 30; ++i) {
    queues.create_queue({"us-east-1", "000000000000", "q" + std::to_string(i)}, {}, {}, [](auto) {});
  }
  scheduler.run_pending();
  for (auto& q : queues.all()) {
    queue::SendEntry e;
    e.body = "x";
    q->send({e}, [](auto) {});
  }
  auto scrape = [&](metrics::MetricsOptions o) {
    metrics::Metrics m;
    m.add_collectable(sqs::make_sqs_collector(queues, o));
    return m.scrape();
  };
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  const std::string limited = scrape({metrics::Level::resource, 10});
  EXPECT_EQ(count(limited, "\nsluice_sqs_approximate_number_of_messages_visible{"), 11u) << "10 queues and _other";
  EXPECT_NE(limited.find("{region=\"us-east-1\",account=\"_other\",queue=\"_other\"} 20"), std::string::npos)
      << limited;
  const std::string service = scrape({metrics::Level::service, 10});
  EXPECT_EQ(count(service, "\nsluice_sqs_approximate_number_of_messages_visible{"), 1u);
  EXPECT_NE(service.find("sluice_sqs_number_of_messages_sent_total{region=\"us-east-1\"} 30"), std::string::npos)
      << service;
}

}  // namespace
}  // namespace sluice::admin
