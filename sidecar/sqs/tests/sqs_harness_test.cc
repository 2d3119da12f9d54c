// SQS through the generic endpoint, in process: every action in both protocols,
// AWS's error shapes and codes, and the defects and gaps found by probing the
// sidecar (each a regression test here).

#include <gtest/gtest.h>

#include "runtime/common/digest.h"
#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/queue/queue_service.h"
#include "runtime/storage/memory_store.h"
#include "sidecar/aws/testing/harness.h"
#include "sidecar/sqs/sqs_service.h"

namespace sluice::sqs {
namespace {

using aws::testing::Harness;
using aws::testing::Identity;
using aws::testing::Reply;
using json = nlohmann::json;

class SqsHarnessTest : public ::testing::Test {
 protected:
  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::MemoryStore durable, memory;
  queue::QueueService queues{queue::QueueServiceOptions{}, durable, memory, clock, scheduler};
  SqsService service{queues};
  Harness h{{&service}, aws::EndpointOptions{"us-east-1", "000000000000"}, [this] { scheduler.run_pending(); }};

  std::string create(const std::string& name, json attributes = json::object()) {
    json in = {{"QueueName", name}};
    if (!attributes.empty()) in["Attributes"] = attributes;
    auto r = h.call("CreateQueue", in);
    EXPECT_EQ(r.status, 200) << r.text;
    return r.body.value("QueueUrl", "");
  }

  Reply target(const std::string& value, const std::string& body = "{}") {
    server::HttpRequest req;
    req.method = "POST";
    req.path = "/";
    req.headers = {{"x-amz-target", value}, {"content-type", "application/x-amz-json-1.0"}};
    req.body = body;
    return h.raw(std::move(req));
  }
};

TEST_F(SqsHarnessTest, EveryActionAnswers) {
  const std::string dlq = create("dlq");
  const std::string url = create(
      "work",
      {{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"1"})"}});
  EXPECT_EQ(url, "http://localhost:4566/000000000000/work");
  EXPECT_EQ(h.call("GetQueueUrl", {{"QueueName", "work"}}).body["QueueUrl"], url);
  EXPECT_EQ(h.call("ListQueues", {{"QueueNamePrefix", "wo"}}).body["QueueUrls"], json::array({url}));
  EXPECT_TRUE(h.call("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", {{"VisibilityTimeout", "5"}}}}).ok());
  EXPECT_EQ(h.call("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"VisibilityTimeout"}}})
                .body["Attributes"]["VisibilityTimeout"],
            "5");
  EXPECT_TRUE(h.call("TagQueue", {{"QueueUrl", url}, {"Tags", {{"team", "shop"}}}}).ok());
  EXPECT_EQ(h.call("ListQueueTags", {{"QueueUrl", url}}).body["Tags"]["team"], "shop");
  EXPECT_TRUE(h.call("UntagQueue", {{"QueueUrl", url}, {"TagKeys", {"team"}}}).ok());
  EXPECT_TRUE(
      h.call("AddPermission",
             {{"QueueUrl", url}, {"Label", "p"}, {"AWSAccountIds", {"111111111111"}}, {"Actions", {"SendMessage"}}})
          .ok());
  EXPECT_TRUE(h.call("RemovePermission", {{"QueueUrl", url}, {"Label", "p"}}).ok());

  auto sent = h.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "hello"}});
  ASSERT_TRUE(sent.ok()) << sent.text;
  EXPECT_EQ(sent.body["MD5OfMessageBody"], to_hex(md5("hello")));
  auto batch = h.call(
      "SendMessageBatch",
      {{"QueueUrl", url}, {"Entries", {{{"Id", "a"}, {"MessageBody", "one"}}, {{"Id", "b"}, {"MessageBody", "two"}}}}});
  EXPECT_EQ(batch.body["Successful"].size(), 2u) << batch.text;
  auto got = h.call("ReceiveMessage", {{"QueueUrl", url}, {"MaxNumberOfMessages", 10}});
  ASSERT_EQ(got.body["Messages"].size(), 3u) << got.text;
  const std::string handle = got.body["Messages"][0]["ReceiptHandle"];
  EXPECT_TRUE(
      h.call("ChangeMessageVisibility", {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 10}})
          .ok());
  auto vis =
      h.call("ChangeMessageVisibilityBatch",
             {{"QueueUrl", url}, {"Entries", {{{"Id", "x"}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 10}}}}});
  EXPECT_EQ(vis.body["Successful"].size(), 1u) << vis.text;
  EXPECT_TRUE(h.call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", handle}}).ok());
  auto del = h.call(
      "DeleteMessageBatch",
      {{"QueueUrl", url}, {"Entries", {{{"Id", "a"}, {"ReceiptHandle", got.body["Messages"][1]["ReceiptHandle"]}}}}});
  EXPECT_EQ(del.body["Successful"].size(), 1u);
  EXPECT_EQ(h.call("ListDeadLetterSourceQueues", {{"QueueUrl", dlq}}).body["queueUrls"], json::array({url}));
  auto task = h.call("StartMessageMoveTask", {{"SourceArn", "arn:aws:sqs:us-east-1:000000000000:dlq"}});
  ASSERT_TRUE(task.ok()) << task.text;
  EXPECT_EQ(h.call("ListMessageMoveTasks", {{"SourceArn", "arn:aws:sqs:us-east-1:000000000000:dlq"}})
                .body["Results"][0]["Status"],
            "RUNNING");
  EXPECT_TRUE(h.call("CancelMessageMoveTask", {{"TaskHandle", task.body["TaskHandle"]}}).ok());
  EXPECT_TRUE(h.call("PurgeQueue", {{"QueueUrl", url}}).ok());
  EXPECT_TRUE(h.call("DeleteQueue", {{"QueueUrl", url}}).ok());
  EXPECT_EQ(h.call("GetQueueUrl", {{"QueueName", "work"}}).code, "AWS.SimpleQueueService.NonExistentQueue");
}

TEST_F(SqsHarnessTest, TheQueryProtocolAnswersInXml) {
  create("q");
  auto r = h.query("GetQueueUrl", {{"QueueName", "q"}});
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_NE(r.text.find("<GetQueueUrlResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">"
                        "<GetQueueUrlResult><QueueUrl>http://localhost:4566/000000000000/q</QueueUrl>"),
            std::string::npos)
      << r.text;
  auto sent = h.query("SendMessage", {{"MessageBody", "by path"}}, Identity{}, "/000000000000/q");
  EXPECT_EQ(sent.status, 200) << "a request posted to the queue URL names the queue";
  auto missing = h.query("GetQueueUrl", {{"QueueName", "nope"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.code, "AWS.SimpleQueueService.NonExistentQueue");
}

TEST_F(SqsHarnessTest, TheQueryProtocolOverGetWithContentNegotiation) {
  create("q");
  auto get = [&](const std::string& target, const std::string& accept = "") {
    server::HttpRequest req;
    req.method = "GET";
    auto q = target.find('?');
    req.path = target.substr(0, q);
    req.query = target.substr(q + 1);
    if (!accept.empty()) req.headers = {{"accept", accept}};
    return h.raw(std::move(req));
  };
  auto empty = get("/000000000000/q?Action=ReceiveMessage&Version=2012-11-05");
  ASSERT_EQ(empty.status, 200) << empty.text;
  EXPECT_NE(empty.text.find("<ReceiveMessageResult/><ResponseMetadata>"), std::string::npos) << empty.text;
  auto as_json = get("/000000000000/q?Action=GetQueueUrl&QueueName=q&Version=2012-11-05", "application/json");
  ASSERT_EQ(as_json.status, 200) << as_json.text;
  EXPECT_EQ(as_json.content_type, "application/json");
  EXPECT_EQ(as_json.body["GetQueueUrlResponse"]["GetQueueUrlResult"]["QueueUrl"],
            "http://localhost/000000000000/q");  // no Host header: the URL's host is localhost
  auto unknown = get("/?Action=Frobnicate&Version=2012-11-05");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.code, "InvalidAction");
  EXPECT_NE(unknown.text.find("The action Frobnicate is not valid for this endpoint."), std::string::npos);
  auto version = get("/?Action=ListQueues&Version=2011-01-01");
  EXPECT_EQ(version.status, 400);
  EXPECT_EQ(version.text.find("xmlns=\"\""), std::string::npos) << "no empty namespace: " << version.text;
  auto unknown_json = target("AmazonSQS.Frobnicate");
  EXPECT_EQ(unknown_json.code, "UnknownOperationException");
  EXPECT_EQ(unknown_json.body["__type"], "com.amazon.coral.service#UnknownOperationException");
}

TEST_F(SqsHarnessTest, AFifoHandleWhoseTimeoutExpiredIsRefused) {
  const std::string url = create("e.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  ASSERT_TRUE(h.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}, {"MessageGroupId", "g"}}).ok());
  auto got = h.call("ReceiveMessage", {{"QueueUrl", url}, {"VisibilityTimeout", 1}});
  const std::string handle = got.body["Messages"][0]["ReceiptHandle"];
  clock.advance(1000);
  auto del = h.call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", handle}});
  EXPECT_EQ(del.code, "InvalidParameterValue");
  EXPECT_EQ(del.message,
            "Value " + handle + " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
  auto batch =
      h.call("ChangeMessageVisibilityBatch",
             {{"QueueUrl", url}, {"Entries", {{{"Id", "a"}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 5}}}}});
  ASSERT_TRUE(batch.ok()) << batch.text;
  EXPECT_EQ(batch.body["Failed"][0]["Id"], "a");
}

TEST_F(SqsHarnessTest, AMoveTaskMovesAtMostMaxNumberOfMessagesPerSecond) {
  create("dlq");
  create("src", {{"RedrivePolicy",
                  R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":"1"})"}});
  const std::string dest = create("dest");
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(h.call("SendMessage", {{"QueueUrl", "dlq"}, {"MessageBody", "m"}}).ok());
  const std::string dlq_arn = "arn:aws:sqs:us-east-1:000000000000:dlq";
  EXPECT_EQ(h.call("StartMessageMoveTask", {{"SourceArn", dlq_arn}, {"MaxNumberOfMessagesPerSecond", 501}}).code,
            "InvalidParameterValue");
  auto started = h.call("StartMessageMoveTask", {{"SourceArn", dlq_arn},
                                                 {"DestinationArn", "arn:aws:sqs:us-east-1:000000000000:dest"},
                                                 {"MaxNumberOfMessagesPerSecond", 10}});
  ASSERT_TRUE(started.ok()) << started.text;
  scheduler.advance(2000);
  auto depth = [&](const std::string& q) {
    auto a = h.call("GetQueueAttributes", {{"QueueUrl", q}, {"AttributeNames", {"ApproximateNumberOfMessages"}}});
    return std::stoi(a.body["Attributes"]["ApproximateNumberOfMessages"].get<std::string>());
  };
  EXPECT_NEAR(depth(dest), 20, 2) << "10 a second for 2 s";
  auto tasks = h.call("ListMessageMoveTasks", {{"SourceArn", dlq_arn}});
  EXPECT_EQ(tasks.body["Results"][0]["MaxNumberOfMessagesPerSecond"], 10);
  EXPECT_EQ(tasks.body["Results"][0]["Status"], "RUNNING");
}

TEST_F(SqsHarnessTest, JsonErrorsCarryTheNamespaceAndTheQueryCode) {
  auto r = h.call("GetQueueUrl", {{"QueueName", "nope"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["__type"], "com.amazonaws.sqs#QueueDoesNotExist");
  EXPECT_EQ(r.header("x-amzn-query-error"), "AWS.SimpleQueueService.NonExistentQueue;Sender");
  auto missing = h.call("CreateQueue", json::object());
  EXPECT_EQ(missing.code, "MissingParameter");
  EXPECT_EQ(missing.message, "The request must contain the parameter QueueName.");
}

// Probe finding: a short X-Amz-Target aborted the process (substr past the end),
// and a wrong prefix of the right length ran the action.
TEST_F(SqsHarnessTest, MalformedTargetsAreUnknownOperationsNotCrashes) {
  for (const char* t : {"x", "Foo.Bar", "AmazonSQS", "AmazonSQS.", "XXXXXXXXXXListQueues", "AmazonSQSListQueues"}) {
    auto r = target(t);
    EXPECT_EQ(r.status, 400) << t;
    EXPECT_EQ(r.code, "UnknownOperationException") << t;
  }
  EXPECT_EQ(target("AmazonSQS.ListQueues").status, 200);
}

TEST_F(SqsHarnessTest, AQueueUrlIsABareNameOrAUrlWithAnyHost) {
  create("orders");
  for (const char* url : {"orders", "http://sqs.us-east-1.localhost:4566/000000000000/orders",
                          "https://queue.example.com/000000000000/orders"})
    EXPECT_TRUE(h.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}}).ok()) << url;
  EXPECT_EQ(h.call("SendMessage", {{"QueueUrl", "http://h/not/a/queue/url"}, {"MessageBody", "x"}}).code,
            "InvalidAddress");
}

TEST_F(SqsHarnessTest, RegionsHaveTheirOwnQueues) {
  Identity east{"000000000000", "us-east-1"}, west{"000000000000", "eu-west-1"};
  auto a = h.call("CreateQueue", {{"QueueName", "same"}}, east);
  auto b = h.call("CreateQueue", {{"QueueName", "same"}}, west);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(h.call("SendMessage", {{"QueueUrl", "same"}, {"MessageBody", "east"}}, east).ok());
  auto west_attrs = h.call("GetQueueAttributes", {{"QueueUrl", "same"}, {"AttributeNames", {"All"}}}, west);
  EXPECT_EQ(west_attrs.body["Attributes"]["QueueArn"], "arn:aws:sqs:eu-west-1:000000000000:same");
  EXPECT_EQ(west_attrs.body["Attributes"]["ApproximateNumberOfMessages"], "0");
  auto east_attrs = h.call("GetQueueAttributes", {{"QueueUrl", "same"}, {"AttributeNames", {"All"}}}, east);
  EXPECT_EQ(east_attrs.body["Attributes"]["ApproximateNumberOfMessages"], "1");
}

TEST_F(SqsHarnessTest, TheTraceHeaderBecomesAwsTraceHeader) {
  const std::string url = create("traced");
  server::HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers = {{"x-amz-target", "AmazonSQS.SendMessage"},
                 {"x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}};
  req.body = json{{"QueueUrl", url}, {"MessageBody", "x"}}.dump();
  auto sent = h.raw(std::move(req));
  ASSERT_TRUE(sent.ok()) << sent.text;
  EXPECT_TRUE(sent.body.contains("MD5OfMessageSystemAttributes"));
  auto got = h.call("ReceiveMessage", {{"QueueUrl", url}, {"MessageSystemAttributeNames", {"AWSTraceHeader"}}});
  EXPECT_EQ(got.body["Messages"][0]["Attributes"]["AWSTraceHeader"],
            "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
}

TEST_F(SqsHarnessTest, FifoRulesOnSendAndBatch) {
  const std::string url = create("f.fifo", {{"FifoQueue", "true"}});
  EXPECT_TRUE(h.call("SendMessage", {{"QueueUrl", url},
                                     {"MessageBody", "x"},
                                     {"MessageGroupId", "g"},
                                     {"MessageDeduplicationId", "d1"},
                                     {"DelaySeconds", 0}})
                  .ok())
      << "DelaySeconds 0 asks for nothing on a FIFO queue";
  EXPECT_EQ(h.call("SendMessage", {{"QueueUrl", url},
                                   {"MessageBody", "x"},
                                   {"MessageGroupId", "g"},
                                   {"MessageDeduplicationId", "d2"},
                                   {"DelaySeconds", 5}})
                .code,
            "InvalidParameterValue");
  auto no_group =
      h.call("SendMessageBatch",
             {{"QueueUrl", url}, {"Entries", {{{"Id", "a"}, {"MessageBody", "x"}, {"MessageDeduplicationId", "d3"}}}}});
  EXPECT_EQ(no_group.status, 400) << "the whole batch fails, as on AWS";
  EXPECT_EQ(no_group.code, "MissingParameter");
  auto no_dedup =
      h.call("SendMessageBatch",
             {{"QueueUrl", url}, {"Entries", {{{"Id", "a"}, {"MessageBody", "x"}, {"MessageGroupId", "g"}}}}});
  EXPECT_EQ(no_dedup.status, 400);
  EXPECT_EQ(no_dedup.code, "InvalidParameterValue");
}

TEST_F(SqsHarnessTest, AnEmptyGroupIdIsRefusedOnAStandardQueue) {
  const std::string url = create("std");
  EXPECT_EQ(h.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}, {"MessageGroupId", ""}}).code,
            "InvalidParameterValue");
  EXPECT_TRUE(h.call("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}, {"MessageGroupId", "tenant"}}).ok());
}

TEST_F(SqsHarnessTest, FifoAttributesDoNotExistOnStandardQueues) {
  EXPECT_EQ(h.call("CreateQueue", {{"QueueName", "s1"}, {"Attributes", {{"FifoQueue", "false"}}}}).code,
            "InvalidAttributeName");
  const std::string url = create("s2");
  EXPECT_EQ(
      h.call("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", {{"ContentBasedDeduplication", "true"}}}}).code,
      "InvalidAttributeName");
  EXPECT_EQ(h.call("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", {{"FifoQueue", "true"}}}}).code,
            "InvalidAttributeName");
}

TEST_F(SqsHarnessTest, BatchRulesHaveTheirOwnCodes) {
  const std::string url = create("b");
  auto entries = [](int n) {
    json e = json::array();
    for (int i = 0; i < n; ++i) e.push_back({{"Id", "e" + std::to_string(i)}, {"MessageBody", "x"}});
    return e;
  };
  EXPECT_EQ(h.call("SendMessageBatch", {{"QueueUrl", url}, {"Entries", entries(11)}}).code,
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest");
  EXPECT_EQ(h.call("SendMessageBatch", {{"QueueUrl", url}, {"Entries", json::array()}}).code,
            "AWS.SimpleQueueService.EmptyBatchRequest");
  EXPECT_EQ(h.call("SendMessageBatch", {{"QueueUrl", url}, {"Entries", {{{"Id", "a b"}, {"MessageBody", "x"}}}}}).code,
            "AWS.SimpleQueueService.InvalidBatchEntryId");
  EXPECT_EQ(h.call("SendMessageBatch",
                   {{"QueueUrl", url},
                    {"Entries", {{{"Id", "a"}, {"MessageBody", "x"}}, {{"Id", "a"}, {"MessageBody", "y"}}}}})
                .code,
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
  json big = {{{"Id", "a"}, {"MessageBody", std::string(600'000, 'x')}},
              {{"Id", "b"}, {"MessageBody", std::string(600'000, 'y')}}};
  EXPECT_EQ(h.call("SendMessageBatch", {{"QueueUrl", url}, {"Entries", big}}).code,
            "AWS.SimpleQueueService.BatchRequestTooLong");
  auto partial = h.call(
      "SendMessageBatch",
      {{"QueueUrl", url}, {"Entries", {{{"Id", "ok"}, {"MessageBody", "x"}}, {{"Id", "bad"}, {"MessageBody", ""}}}}});
  ASSERT_EQ(partial.status, 200) << "entry failures come back with 200";
  EXPECT_EQ(partial.body["Failed"][0]["Code"], "MissingParameter");
  EXPECT_EQ(partial.body["Failed"][0]["SenderFault"], true);
}

}  // namespace
}  // namespace sluice::sqs
