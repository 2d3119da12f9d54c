// SNS into SQS, end to end through both front ends: a queue subscribed to a
// topic receives what is published (in SNS's envelope, or raw), filter policies
// decide who gets what, FIFO topics keep order into FIFO queues, and the
// module's metrics count it all.

#include <gtest/gtest.h>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <map>

#include "runtime/queue/queue_service.h"
#include "sidecar/sns/tests/sns_test_fixture.h"
#include "sidecar/sns/topic_metrics.h"
#include "sidecar/sqs/sqs_service.h"

namespace sluice::sns {
namespace {

using namespace sluice::sns::testing;

class FanoutTest : public SnsFixture {
 protected:
  storage::MemoryStore queue_store, queue_memory;
  queue::QueueService queues{queue::QueueServiceOptions{}, queue_store, queue_memory, clock, scheduler};
  sqs::SqsService sqs_service{queues};
  topic::TopicService topics{topic::TopicServiceOptions{}, store, clock, scheduler, delivery(&queues)};
  SnsService sns_service{topics, key};
  Harness sns{
      {&sns_service, &sqs_service}, aws::EndpointOptions{"us-east-1", kAccount}, [this] { scheduler.run_pending(); }};
  Harness sqs{
      {&sqs_service, &sns_service}, aws::EndpointOptions{"us-east-1", kAccount}, [this] { scheduler.run_pending(); }};

  ~FanoutTest() override { topics.stop(); }

  json ok(const std::string& action, const Params& params) {
    auto r = sns.raw(form_request(action, params, {}));
    EXPECT_EQ(r.status, 200) << action << ": " << r.text;
    return result(r, action);
  }

  // A queue, by JSON SQS: its URL and ARN.
  std::pair<std::string, std::string> queue(const std::string& name, json attributes = json::object()) {
    json in = {{"QueueName", name}};
    if (!attributes.empty()) in["Attributes"] = attributes;
    auto r = sqs.call("CreateQueue", in);
    EXPECT_EQ(r.status, 200) << r.text;
    return {r.body.value("QueueUrl", ""), "arn:aws:sqs:us-east-1:" + std::string(kAccount) + ":" + name};
  }

  std::string topic(const std::string& name, std::vector<std::pair<std::string, std::string>> attributes = {}) {
    Params p = {{"Name", name}};
    add_map(p, "Attributes", attributes);
    return ok("CreateTopic", p).value("TopicArn", "");
  }

  std::string subscribe(const std::string& topic_arn, const std::string& queue_arn,
                        std::vector<std::pair<std::string, std::string>> attributes = {}) {
    Params p = {{"TopicArn", topic_arn}, {"Protocol", "sqs"}, {"Endpoint", queue_arn}};
    add_map(p, "Attributes", attributes);
    return ok("Subscribe", p).value("SubscriptionArn", "");
  }

  // Everything the queue holds now, after the deliveries that are due have run.
  json receive(const std::string& url) {
    scheduler.run_pending();
    json out = json::array();
    for (int i = 0; i < 10; ++i) {
      auto r = sqs.call("ReceiveMessage", {{"QueueUrl", url},
                                           {"MaxNumberOfMessages", 10},
                                           {"MessageAttributeNames", {"All"}},
                                           {"MessageSystemAttributeNames", {"All"}}});
      EXPECT_EQ(r.status, 200) << r.text;
      if (!r.body.contains("Messages") || r.body["Messages"].empty()) break;
      for (auto& m : r.body["Messages"]) out.push_back(m);
    }
    return out;
  }

  // The value of a metric family's series whose labels include `label`=`value`.
  double metric(const std::string& family, const std::string& label, const std::string& value) {
    auto collector = make_sns_collector(topics, metrics::MetricsOptions{});
    for (const auto& f : collector->Collect()) {
      if (f.name != family) continue;
      for (const auto& m : f.metric)
        for (const auto& l : m.label)
          if (l.name == label && l.value == value)
            return f.type == prometheus::MetricType::Gauge ? m.gauge.value : m.counter.value;
    }
    return -1;
  }
};

TEST_F(FanoutTest, AQueueReceivesThePublishedMessageInItsEnvelope) {
  auto [url, queue_arn] = queue("inbox");
  const std::string t = topic("orders");
  const std::string sub = subscribe(t, queue_arn);
  Params p = {{"TopicArn", t}, {"Message", "hello"}, {"Subject", "greeting"}};
  add_message_attribute(p, "", 1, "kind", "String", "order");
  const std::string id = ok("Publish", p)["MessageId"];
  json got = receive(url);
  ASSERT_EQ(got.size(), 1u) << got;
  json envelope = json::parse(got[0]["Body"].get<std::string>());
  EXPECT_EQ(envelope["Type"], "Notification");
  EXPECT_EQ(envelope["MessageId"], id);
  EXPECT_EQ(envelope["TopicArn"], t);
  EXPECT_EQ(envelope["Subject"], "greeting");
  EXPECT_EQ(envelope["Message"], "hello");
  EXPECT_EQ(envelope["MessageAttributes"]["kind"]["Value"], "order");
  EXPECT_NE(envelope["UnsubscribeURL"].get<std::string>().find("SubscriptionArn=arn%3Aaws%3Asns%3A"),
            std::string::npos);
  EXPECT_EQ(metric("sluice_sns_number_of_messages_published_total", "topic", "orders"), 1);
  EXPECT_EQ(
      metric("sluice_sns_number_of_notifications_delivered_total", "subscription", sub.substr(sub.rfind(':') + 1)), 1);
}

TEST_F(FanoutTest, RawDeliveryCarriesTheBodyAndAttributesAsTheyAre) {
  auto [url, queue_arn] = queue("raw");
  const std::string t = topic("orders");
  subscribe(t, queue_arn, {{"RawMessageDelivery", "true"}});
  Params p = {{"TopicArn", t}, {"Message", "just this"}};
  add_message_attribute(p, "", 1, "kind", "String", "order");
  add_message_attribute(p, "", 2, "price", "Number", "12.5");
  ok("Publish", p);
  json got = receive(url);
  ASSERT_EQ(got.size(), 1u) << got;
  EXPECT_EQ(got[0]["Body"], "just this");
  EXPECT_EQ(got[0]["MessageAttributes"]["kind"]["StringValue"], "order");
  EXPECT_EQ(got[0]["MessageAttributes"]["price"]["DataType"], "Number");
}

TEST_F(FanoutTest, FilterPoliciesChooseWhoGetsWhat) {
  auto [orders_url, orders_arn] = queue("orders-q");
  auto [refunds_url, refunds_arn] = queue("refunds-q");
  auto [all_url, all_arn] = queue("all-q");
  const std::string t = topic("events");
  const std::string o = subscribe(t, orders_arn, {{"FilterPolicy", R"({"kind":["order"]})"}});
  subscribe(t, refunds_arn, {{"FilterPolicy", R"({"kind":["refund"]})"}});
  subscribe(t, all_arn);
  for (const char* kind : {"order", "refund", "order"}) {
    Params p = {{"TopicArn", t}, {"Message", kind}};
    add_message_attribute(p, "", 1, "kind", "String", kind);
    ok("Publish", p);
  }
  ok("Publish", {{"TopicArn", t}, {"Message", "no attributes"}});
  EXPECT_EQ(receive(orders_url).size(), 2u);
  EXPECT_EQ(receive(refunds_url).size(), 1u);
  EXPECT_EQ(receive(all_url).size(), 4u);
  const std::string id = o.substr(o.rfind(':') + 1);
  // Filtered out: the refund, and the message without attributes (counted also on its own).
  EXPECT_EQ(metric("sluice_sns_number_of_notifications_filtered_out_total", "subscription", id), 2);
  EXPECT_EQ(metric("sluice_sns_number_of_notifications_filtered_out_no_message_attributes_total", "subscription", id),
            1);
}

TEST_F(FanoutTest, StructuredMessagesGiveQueuesTheirOwnText) {
  auto [url, queue_arn] = queue("structured");
  const std::string t = topic("orders");
  subscribe(t, queue_arn, {{"RawMessageDelivery", "true"}});
  ok("Publish",
     {{"TopicArn", t}, {"MessageStructure", "json"}, {"Message", R"({"default":"for everyone","sqs":"for queues"})"}});
  json got = receive(url);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], "for queues");
}

TEST_F(FanoutTest, FifoTopicsKeepOrderIntoFifoQueues) {
  auto [url, queue_arn] = queue("ordered.fifo", {{"FifoQueue", "true"}});
  const std::string t = topic("ordered.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}});
  subscribe(t, queue_arn, {{"RawMessageDelivery", "true"}});
  const std::string e = "PublishBatchRequestEntries.member.";
  Params p = {{"TopicArn", t}};
  for (int i = 1; i <= 5; ++i) {
    p.emplace_back(e + std::to_string(i) + ".Id", "m" + std::to_string(i));
    p.emplace_back(e + std::to_string(i) + ".Message", "message " + std::to_string(i));
    p.emplace_back(e + std::to_string(i) + ".MessageGroupId", "g");
  }
  json r = ok("PublishBatch", p);
  ASSERT_EQ(r["Successful"].size(), 5u) << r;
  json got = receive(url);
  ASSERT_EQ(got.size(), 5u) << got;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(got[i]["Body"], "message " + std::to_string(i + 1));
    EXPECT_EQ(got[i]["Attributes"]["MessageGroupId"], "g");
  }
  auto standard = topic("standard");
  auto refused =
      sns.raw(form_request("Subscribe", {{"TopicArn", standard}, {"Protocol", "sqs"}, {"Endpoint", queue_arn}}, {}));
  EXPECT_EQ(refused.code, "InvalidParameter");
  EXPECT_NE(refused.message.find("FIFO SQS Queues can not be subscribed to standard SNS topics"), std::string::npos)
      << refused.message;
}

TEST_F(FanoutTest, MetricsAreBoundedByTheResourceLimit) {
  auto [url, queue_arn] = queue("m");
  for (const char* name : {"a", "b", "c"}) {
    const std::string t = topic(name);
    subscribe(t, queue_arn);
    ok("Publish", {{"TopicArn", t}, {"Message", "x"}});
  }
  scheduler.run_pending();
  auto series = [&](metrics::MetricsOptions options, const std::string& family) {
    std::map<std::string, double> out;
    for (const auto& f : make_sns_collector(topics, options)->Collect()) {
      if (f.name != family) continue;
      for (const auto& m : f.metric) {
        std::string key;
        for (const auto& l : m.label)
          if (l.name == "topic" || l.name == "region") key += l.name + "=" + l.value + ",";
        out[key] += m.counter.value;
      }
    }
    return out;
  };
  auto bounded = series({metrics::Level::resource, 1}, "sluice_sns_number_of_messages_published_total");
  EXPECT_EQ(bounded,
            (std::map<std::string, double>{{"region=us-east-1,topic=a,", 1}, {"region=us-east-1,topic=_other,", 2}}));
  auto delivered = series({metrics::Level::resource, 1}, "sluice_sns_number_of_notifications_delivered_total");
  EXPECT_EQ(delivered,
            (std::map<std::string, double>{{"region=us-east-1,topic=a,", 1}, {"region=us-east-1,topic=_other,", 2}}));
  auto per_region = series({metrics::Level::service, 1000}, "sluice_sns_number_of_messages_published_total");
  EXPECT_EQ(per_region, (std::map<std::string, double>{{"region=us-east-1,", 3}}));
}

TEST_F(FanoutTest, TheEndpointServesBothServicesOnOnePort) {
  auto [url, queue_arn] = queue("both");
  // The SQS query protocol and the SNS query protocol, told apart by Version.
  EXPECT_EQ(sns.query("ListTopics", {}).status, 200);
  EXPECT_EQ(sqs.query("ListQueues", {}).status, 200);
  EXPECT_EQ(sns.raw(form_request("ListQueues", {}, {})).code, "InvalidAction") << "not an SNS action";
}

}  // namespace
}  // namespace sluice::sns
