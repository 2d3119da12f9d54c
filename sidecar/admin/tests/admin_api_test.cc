// The admin API as the operator uses it: create-or-update from a spec, status,
// delete (and retain), plus the endpoint table's help and errors.

#include "sidecar/admin/admin_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/common/arn.h"
#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/queue/queue_service.h"
#include "runtime/storage/memory_store.h"
#include "sidecar/metrics/metrics.h"
#include "sidecar/metrics/sqs_metrics.h"

namespace sluice::admin {
namespace {

using json = nlohmann::json;

class AdminApiTest : public ::testing::Test {
 protected:
  AdminApiTest() { metrics.add_collectable(metrics::make_sqs_collector(queues)); }

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
  metrics::Metrics metrics;
  AdminApi api{queues, metrics, AdminConfig{"us-east-1", "", "http://sluice.example:4566", "{}"}};
};

TEST_F(AdminApiTest, PutCreatesThenUpdatesAndGetReportsStatus) {
  auto r = call("PUT", "/v1/namespaces/shop/queues/orders", R"({"visibilityTimeout": 45})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto status = json::parse(r.body);
  const std::string account = account_for_namespace("shop");
  EXPECT_EQ(status["url"], "http://sluice.example:4566/" + account + "/orders");
  EXPECT_EQ(status["arn"], "arn:aws:sqs:us-east-1:" + account + ":orders");
  EXPECT_EQ(status["approximateNumberOfMessages"], 0);
  EXPECT_EQ(queues.find(account, "orders")->attributes().visibility_timeout, 45);

  ASSERT_EQ(call("PUT", "/v1/namespaces/shop/queues/orders", R"({"visibilityTimeout": 60})").status, 200);
  EXPECT_EQ(queues.find(account, "orders")->attributes().visibility_timeout, 60);
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
  EXPECT_EQ(call("PUT", "/v1/namespaces/shop/queues/x", R"({"redrivePolicy": {"deadLetterTargetQueue": "nope", "maxReceiveCount": 2}})").status, 422);
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
  for (const char* path : {"/healthz", "/readyz", "/metrics", "/config_dump", "/v1/queues", "/v1/namespaces/{ns}/queues/{queue}"})
    EXPECT_NE(help.find(path), std::string::npos) << path;
  ASSERT_EQ(call("PUT", "/v1/namespaces/shop/queues/orders", "{}").status, 200);
  auto m = call("GET", "/metrics").body;
  EXPECT_NE(m.find("sluice_sqs_approximate_number_of_messages_visible{account=\"" + account_for_namespace("shop") +
                   "\",queue=\"orders\"} 0"),
            std::string::npos)
      << m;
  EXPECT_EQ(call("GET", "/nope").status, 404);
  EXPECT_EQ(call("POST", "/healthz").status, 405);
}

}  // namespace
}  // namespace sluice::admin
