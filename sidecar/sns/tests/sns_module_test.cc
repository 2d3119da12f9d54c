// The SNS module as the sidecar assembles it (make_modules): after SQS, with
// SQS's queues as its delivery target, a signing key, the advertised URL in its
// links, and its metrics.

#include "sidecar/sns/sns_module.h"

#include <gtest/gtest.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "sidecar/options.h"
#include "sidecar/sns/tests/sns_test_fixture.h"

namespace sluice::sns {
namespace {

using namespace sluice::sns::testing;

class SnsModuleTest : public SnsFixture {
 protected:
  storage::MemoryStore memory;
  SidecarOptions options = [] {
    SidecarOptions o;
    o.durability = storage::Durability::memory;
    o.advertise_url = "http://sluice.internal:4566/";
    return o;
  }();
  std::vector<std::unique_ptr<Module>> modules =
      make_modules(ModuleContext{store, memory, clock, scheduler, options, &http});

  ~SnsModuleTest() override {
    while (!modules.empty()) modules.pop_back();  // as the sidecar does: SNS before the SQS it delivers into
  }

  std::vector<aws::Service*> services() {
    std::vector<aws::Service*> out;
    for (auto& m : modules)
      for (auto* s : m->services()) out.push_back(s);
    return out;
  }
};

TEST_F(SnsModuleTest, SnsComesAfterSqsAndDeliversIntoItsQueues) {
  ASSERT_EQ(modules.size(), 3u);
  EXPECT_EQ(modules[0]->name(), "SQS");
  EXPECT_EQ(modules[1]->name(), "SNS");
  EXPECT_EQ(modules[2]->name(), "Kinesis");
  for (auto& m : modules) {
    auto r = m->recover();
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_FALSE(r->empty());
  }
  ASSERT_EQ(modules[1]->kinds().size(), 2u);
  EXPECT_EQ(modules[1]->kinds()[0]->kind().kind, "Topic");
  EXPECT_EQ(modules[1]->kinds()[1]->kind().kind, "Subscription");

  auto all = services();
  Harness sqs{all, aws::EndpointOptions{"us-east-1", kAccount}, [this] { scheduler.run_pending(); }};
  std::vector<aws::Service*> sns_first = {all[1], all[0]};
  Harness sns{sns_first, aws::EndpointOptions{"us-east-1", kAccount}, [this] { scheduler.run_pending(); }};
  auto q = sqs.call("CreateQueue", {{"QueueName", "inbox"}});
  ASSERT_EQ(q.status, 200) << q.text;
  auto t = sns.raw(form_request("CreateTopic", {{"Name", "orders"}}, {}));
  const std::string topic_arn = result(t, "CreateTopic").value("TopicArn", "");
  ASSERT_FALSE(topic_arn.empty()) << t.text;
  auto s = sns.raw(form_request(
      "Subscribe",
      {{"TopicArn", topic_arn}, {"Protocol", "sqs"}, {"Endpoint", "arn:aws:sqs:us-east-1:000000000000:inbox"}}, {}));
  ASSERT_EQ(s.status, 200) << s.text;
  ASSERT_EQ(sns.raw(form_request("Publish", {{"TopicArn", topic_arn}, {"Message", "hi"}}, {})).status, 200);
  scheduler.run_pending();
  auto got = sqs.call("ReceiveMessage", {{"QueueUrl", q.body["QueueUrl"]}});
  ASSERT_EQ(got.body["Messages"].size(), 1u) << got.text;
  auto envelope = json::parse(got.body["Messages"][0]["Body"].get<std::string>());
  EXPECT_EQ(envelope["Message"], "hi");
  // The links point at the advertised URL, and the certificate is served there.
  const std::string cert_url = envelope["SigningCertURL"];
  EXPECT_EQ(cert_url.rfind("http://sluice.internal:4566/SimpleNotificationService-", 0), 0u) << cert_url;
  auto* module = static_cast<SnsModule*>(modules[1].get());
  ASSERT_NE(module->signing_key(), nullptr);
  server::HttpRequest get;
  get.method = "GET";
  get.path = cert_url.substr(std::string("http://sluice.internal:4566").size());
  auto cert = sns.raw(std::move(get));
  EXPECT_EQ(cert.status, 200);
  EXPECT_EQ(cert.text, module->signing_key()->certificate_pem());

  bool published = false;
  for (const auto& c : module->collectors())
    for (const auto& f : c->Collect())
      if (f.name == "sluice_sns_number_of_messages_published_total")
        for (const auto& m : f.metric) published = published || m.counter.value == 1;
  EXPECT_TRUE(published);
}

TEST(SnsBaseUrl, IsTheAdvertisedUrlOrTheLocalPort) {
  SidecarOptions o;
  o.port = 4600;
  EXPECT_EQ(sns_base_url(o), "http://localhost:4600");
  o.advertise_url = "https://sluice.example/";
  EXPECT_EQ(sns_base_url(o), "https://sluice.example");
}

}  // namespace
}  // namespace sluice::sns
