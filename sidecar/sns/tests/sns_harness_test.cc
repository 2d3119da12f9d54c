// SNS through the generic endpoint, in process: every action, its errors in
// SNS's codes and words, the query protocol's XML, the links HTTP/S endpoints
// are sent (SubscribeURL, UnsubscribeURL, SigningCertURL), and the operations
// Sluice refuses.

#include <gtest/gtest.h>

#include <set>

#include "runtime/common/base64.h"
#include "sidecar/sns/tests/sns_test_fixture.h"

namespace sluice::sns {
namespace {

using namespace sluice::sns::testing;

class SnsHarnessTest : public SnsFixture {
 protected:
  topic::TopicService topics{topic::TopicServiceOptions{}, store, clock, scheduler, delivery()};
  SnsService service{topics, key};
  Harness h{{&service}, aws::EndpointOptions{"us-east-1", kAccount}, [this] { scheduler.run_pending(); }};

  ~SnsHarnessTest() override { topics.stop(); }

  Reply call(const std::string& action, const Params& params = {}, const Identity& who = {}) {
    return h.raw(form_request(action, params, who));
  }
  json ok(const std::string& action, const Params& params = {}, const Identity& who = {}) {
    auto r = call(action, params, who);
    EXPECT_EQ(r.status, 200) << action << ": " << r.text;
    return result(r, action);
  }

  std::string create(const std::string& name, const std::vector<std::pair<std::string, std::string>>& attributes = {},
                     const Identity& who = {}) {
    Params p = {{"Name", name}};
    add_map(p, "Attributes", attributes);
    return ok("CreateTopic", p, who).value("TopicArn", "");
  }

  json attributes(const std::string& topic_arn) {
    return ok("GetTopicAttributes", {{"TopicArn", topic_arn}}).value("Attributes", json::object());
  }

  std::string subscribe(const std::string& topic_arn, const std::string& protocol, const std::string& endpoint,
                        bool return_arn = true) {
    Params p = {{"TopicArn", topic_arn}, {"Protocol", protocol}, {"Endpoint", endpoint}};
    if (return_arn) p.emplace_back("ReturnSubscriptionArn", "true");
    return ok("Subscribe", p).value("SubscriptionArn", "");
  }
};

// --- topics ------------------------------------------------------------------------------------

TEST_F(SnsHarnessTest, CreateTopicIsIdempotentAndRefusesOtherAttributes) {
  const std::string t = create("orders", {{"DisplayName", "Orders"}});
  EXPECT_EQ(t, arn("orders"));
  EXPECT_EQ(create("orders", {{"DisplayName", "Orders"}}), t) << "the same attributes: the same topic";
  EXPECT_EQ(create("orders"), t) << "no attributes: the existing topic";
  Params p = {{"Name", "orders"}};
  add_map(p, "Attributes", {{"DisplayName", "Other"}});
  auto conflict = call("CreateTopic", p);
  EXPECT_EQ(conflict.status, 400);
  EXPECT_EQ(conflict.code, "InvalidParameter");
  EXPECT_EQ(conflict.message, "Invalid parameter: Attributes Reason: Topic already exists with different attributes");
  auto bad_tags = call("CreateTopic", [] {
    Params q = {{"Name", "orders"}};
    add_tags(q, {{"team", "other"}});
    return q;
  }());
  EXPECT_EQ(bad_tags.code, "InvalidParameter");
  EXPECT_EQ(bad_tags.message, "Invalid parameter: Tags Reason: Topic already exists with different tags");
}

TEST_F(SnsHarnessTest, TopicNamesFollowSnsRules) {
  auto spaced = call("CreateTopic", {{"Name", "two words"}});
  EXPECT_EQ(spaced.code, "InvalidParameter");
  EXPECT_EQ(spaced.message, "Invalid parameter: Topic Name");
  EXPECT_EQ(call("CreateTopic", {{"Name", std::string(257, 'a')}}).message, "Invalid parameter: Topic Name");
  Params fifo_flag = {{"Name", "plain"}};
  add_map(fifo_flag, "Attributes", {{"FifoTopic", "true"}});
  auto no_suffix = call("CreateTopic", fifo_flag);
  EXPECT_EQ(no_suffix.code, "InvalidParameter");
  EXPECT_EQ(no_suffix.message.rfind("Fifo Topic names must end with .fifo", 0), 0u) << no_suffix.message;
  auto suffix_only = call("CreateTopic", {{"Name", "events.fifo"}});
  EXPECT_EQ(suffix_only.code, "InvalidParameter") << "a .fifo name needs FifoTopic=true";
  EXPECT_EQ(create("events.fifo", {{"FifoTopic", "true"}}), arn("events.fifo"));
  auto missing = call("CreateTopic");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.code, "ValidationError");
  EXPECT_EQ(missing.message,
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
}

TEST_F(SnsHarnessTest, TopicAttributesHaveSnsDefaults) {
  const std::string t = create("orders");
  json a = attributes(t);
  EXPECT_EQ(a["TopicArn"], t);
  EXPECT_EQ(a["Owner"], kAccount);
  EXPECT_EQ(a["DisplayName"], "");
  EXPECT_EQ(a["SubscriptionsConfirmed"], "0");
  EXPECT_EQ(a["SubscriptionsPending"], "0");
  EXPECT_EQ(a["SubscriptionsDeleted"], "0");
  EXPECT_EQ(a["SignatureVersion"], "1");
  EXPECT_FALSE(a.contains("FifoTopic"));
  json policy = json::parse(a["Policy"].get<std::string>());
  EXPECT_EQ(policy["Id"], "__default_policy_ID");
  EXPECT_EQ(policy["Statement"][0]["Resource"], t);
  EXPECT_EQ(policy["Statement"][0]["Condition"]["StringEquals"]["AWS:SourceOwner"], kAccount);
  json effective = json::parse(a["EffectiveDeliveryPolicy"].get<std::string>());
  EXPECT_EQ(effective["http"]["defaultHealthyRetryPolicy"]["numRetries"], 3);
  EXPECT_EQ(effective["http"]["defaultHealthyRetryPolicy"]["minDelayTarget"], 20);
  EXPECT_EQ(effective["http"]["defaultHealthyRetryPolicy"]["backoffFunction"], "linear");
  EXPECT_EQ(effective["http"]["disableSubscriptionOverrides"], false);
  EXPECT_EQ(effective["http"]["defaultRequestPolicy"]["headerContentType"], "text/plain; charset=UTF-8");

  const std::string f = create("events.fifo", {{"FifoTopic", "true"}});
  json fa = attributes(f);
  EXPECT_EQ(fa["FifoTopic"], "true");
  EXPECT_EQ(fa["ContentBasedDeduplication"], "false");
}

TEST_F(SnsHarnessTest, SetTopicAttributesChangesWhatGetReports) {
  const std::string t = create("orders");
  ok("SetTopicAttributes", {{"TopicArn", t}, {"AttributeName", "DisplayName"}, {"AttributeValue", "Orders"}});
  ok("SetTopicAttributes", {{"TopicArn", t}, {"AttributeName", "SignatureVersion"}, {"AttributeValue", "2"}});
  const std::string delivery =
      R"({"http":{"defaultHealthyRetryPolicy":{"numRetries":5,"minDelayTarget":1,"maxDelayTarget":10,"backoffFunction":"exponential"}}})";
  ok("SetTopicAttributes", {{"TopicArn", t}, {"AttributeName", "DeliveryPolicy"}, {"AttributeValue", delivery}});
  json a = attributes(t);
  EXPECT_EQ(a["DisplayName"], "Orders");
  EXPECT_EQ(a["SignatureVersion"], "2");
  EXPECT_TRUE(a.contains("DeliveryPolicy"));
  json effective = json::parse(a["EffectiveDeliveryPolicy"].get<std::string>());
  EXPECT_EQ(effective["http"]["defaultHealthyRetryPolicy"]["numRetries"], 5);
  EXPECT_EQ(effective["http"]["defaultHealthyRetryPolicy"]["backoffFunction"], "exponential");

  auto unknown = call("SetTopicAttributes", {{"TopicArn", t}, {"AttributeName", "Colour"}, {"AttributeValue", "red"}});
  EXPECT_EQ(unknown.code, "InvalidParameter");
  EXPECT_EQ(unknown.message, "Invalid parameter: AttributeName");
  auto bad =
      call("SetTopicAttributes", {{"TopicArn", t}, {"AttributeName", "SignatureVersion"}, {"AttributeValue", "3"}});
  EXPECT_EQ(bad.code, "InvalidParameter");
  EXPECT_EQ(bad.message.rfind("Invalid parameter: ", 0), 0u) << bad.message;
  auto fifo_only = call("SetTopicAttributes",
                        {{"TopicArn", t}, {"AttributeName", "ContentBasedDeduplication"}, {"AttributeValue", "true"}});
  EXPECT_EQ(fifo_only.code, "InvalidParameter") << "ContentBasedDeduplication is for FIFO topics";
}

TEST_F(SnsHarnessTest, TheQueryProtocolAnswersInSnsXml) {
  const std::string t = create("orders", {{"DisplayName", "Orders & more"}});
  auto list = h.query("ListTopics", {});
  ASSERT_EQ(list.status, 200) << list.text;
  EXPECT_EQ(list.content_type, "text/xml");
  EXPECT_NE(list.text.find("<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTopicsResult>"
                           "<Topics><member><TopicArn>" +
                           t + "</TopicArn></member></Topics></ListTopicsResult>"),
            std::string::npos)
      << list.text;
  EXPECT_NE(list.text.find("<ResponseMetadata><RequestId>"), std::string::npos);
  auto get = h.query("GetTopicAttributes", {{"TopicArn", t}});
  ASSERT_EQ(get.status, 200) << get.text;
  EXPECT_NE(get.text.find("<GetTopicAttributesResult><Attributes><entry><key>"), std::string::npos) << get.text;
  EXPECT_NE(get.text.find("<entry><key>DisplayName</key><value>Orders &amp; more</value></entry>"), std::string::npos)
      << get.text;
  auto del = h.query("DeleteTopic", {{"TopicArn", t}});
  ASSERT_EQ(del.status, 200);
  EXPECT_NE(del.text.find("<DeleteTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ResponseMetadata>"),
            std::string::npos)
      << del.text;
  auto missing = h.query("GetTopicAttributes", {{"TopicArn", t}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.text.find("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender"
                              "</Type><Code>NotFound</Code><Message>Topic does not exist</Message>"),
            std::string::npos)
      << missing.text;
}

TEST_F(SnsHarnessTest, ListTopicsPagesByHundreds) {
  std::set<std::string> made;
  for (int i = 0; i < 250; ++i) made.insert(create("t" + std::to_string(1000 + i)));
  create("elsewhere", {}, Identity{"111111111111", "us-east-1"});  // another account's: not listed
  std::set<std::string> seen;
  std::vector<size_t> sizes;
  std::string token;
  do {
    Params p;
    if (!token.empty()) p.emplace_back("NextToken", token);
    json page = ok("ListTopics", p);
    sizes.push_back(page["Topics"].size());
    for (const auto& t : page["Topics"]) EXPECT_TRUE(seen.insert(t["TopicArn"].get<std::string>()).second);
    token = page.value("NextToken", "");
  } while (!token.empty() && sizes.size() < 10);
  EXPECT_EQ(sizes, (std::vector<size_t>{100, 100, 50}));
  EXPECT_EQ(seen, made);
  EXPECT_EQ(call("ListTopics", {{"NextToken", "garbage"}}).code, "InvalidParameter");
}

TEST_F(SnsHarnessTest, ATopicIsNamedByItsArnInItsOwnRegion) {
  const std::string t = create("orders", {}, Identity{"AKIDEXAMPLE", "eu-west-1"});
  EXPECT_EQ(t, arn("orders", "eu-west-1"));
  // Signed for us-east-1, naming the eu-west-1 topic: the ARN's region is served.
  EXPECT_EQ(attributes(t)["TopicArn"], t);
  EXPECT_EQ(call("GetTopicAttributes", {{"TopicArn", arn("orders")}}).code, "NotFound") << "not in us-east-1";
  auto not_arn = call("GetTopicAttributes", {{"TopicArn", "orders"}});
  EXPECT_EQ(not_arn.code, "InvalidParameter");
  EXPECT_EQ(not_arn.message, "Invalid parameter: TopicArn Reason: orders does not start with arn");
  auto short_arn = call("GetTopicAttributes", {{"TopicArn", "arn:aws:sns:us-east-1"}});
  EXPECT_EQ(short_arn.message, "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 4");
  auto sub_arn = call("Publish", {{"TopicArn", t + ":9f1e4a2c-0000-4000-8000-000000000000"}, {"Message", "m"}});
  EXPECT_EQ(sub_arn.message, "Invalid parameter: Topic Name") << "a subscription ARN is not a topic";
  auto missing = call("GetTopicAttributes");
  EXPECT_EQ(missing.code, "ValidationError");
  EXPECT_NE(missing.message.find("'topicArn'"), std::string::npos);
}

TEST_F(SnsHarnessTest, DeleteTopicRemovesItAndItsSubscriptions) {
  const std::string t = create("orders");
  const std::string sub = subscribe(t, "sqs", "arn:aws:sqs:us-east-1:000000000000:q");
  ok("DeleteTopic", {{"TopicArn", t}});
  EXPECT_EQ(call("GetTopicAttributes", {{"TopicArn", t}}).status, 404);
  EXPECT_EQ(call("GetSubscriptionAttributes", {{"SubscriptionArn", sub}}).code, "NotFound");
  ok("DeleteTopic", {{"TopicArn", t}});  // gone already: succeeds, as on SNS
}

// --- subscriptions ---------------------------------------------------------------------------

TEST_F(SnsHarnessTest, SubscribeTakesSqsAndHttpAndRefusesTheRest) {
  const std::string t = create("orders");
  const std::string q = "arn:aws:sqs:us-east-1:000000000000:q";
  const std::string sqs = subscribe(t, "sqs", q, false);
  EXPECT_EQ(sqs.rfind(t + ":", 0), 0u) << sqs;
  EXPECT_EQ(subscribe(t, "SQS", q), sqs)
      << "the protocol is case-insensitive; the same endpoint, the same subscription";
  EXPECT_EQ(subscribe(t, "https", "https://example.com/hook", false), "pending confirmation");
  const std::string http = subscribe(t, "http", "http://example.com/hook", true);
  EXPECT_EQ(http.rfind(t + ":", 0), 0u) << "ReturnSubscriptionArn names the pending subscription";

  auto firehose = call("Subscribe", {{"TopicArn", t}, {"Protocol", "firehose"}, {"Endpoint", "arn:aws:firehose:x"}});
  EXPECT_EQ(firehose.status, 400);
  EXPECT_EQ(firehose.code, "InvalidParameter");
  EXPECT_EQ(firehose.message, "Sluice cannot deliver to Firehose yet (no delivery stream engine)");
  for (const char* p : {"email", "email-json", "sms", "application", "lambda"}) {
    auto r = call("Subscribe", {{"TopicArn", t}, {"Protocol", p}, {"Endpoint", "x"}});
    EXPECT_EQ(r.code, "InvalidParameter") << p;
    EXPECT_NE(r.message.find("Sluice does not deliver to " + std::string(p)), std::string::npos) << r.message;
  }
  auto unknown = call("Subscribe", {{"TopicArn", t}, {"Protocol", "pigeon"}, {"Endpoint", "x"}});
  EXPECT_EQ(unknown.message, "Invalid parameter: Amazon SNS does not support this protocol string: pigeon");
  auto bad_queue = call("Subscribe", {{"TopicArn", t}, {"Protocol", "sqs"}, {"Endpoint", "my-queue"}});
  EXPECT_EQ(bad_queue.code, "InvalidParameter");
  auto mismatch = call("Subscribe", {{"TopicArn", t}, {"Protocol", "https"}, {"Endpoint", "http://x"}});
  EXPECT_EQ(mismatch.message, "Invalid parameter: Endpoint must match the specified protocol");
  auto no_topic = call("Subscribe", {{"TopicArn", arn("nope")}, {"Protocol", "sqs"}, {"Endpoint", q}});
  EXPECT_EQ(no_topic.code, "NotFound");

  Params different = {{"TopicArn", t}, {"Protocol", "sqs"}, {"Endpoint", q}};
  add_map(different, "Attributes", {{"RawMessageDelivery", "true"}});
  EXPECT_EQ(call("Subscribe", different).message,
            "Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
  json a = attributes(t);
  EXPECT_EQ(a["SubscriptionsConfirmed"], "1");
  EXPECT_EQ(a["SubscriptionsPending"], "2");
}

TEST_F(SnsHarnessTest, TheSubscribeUrlConfirmsAndTheUnsubscribeUrlUnsubscribes) {
  const std::string t = create("orders");
  const std::string sub = subscribe(t, "https", "https://example.com/hook");
  scheduler.run_pending();
  auto confirmations = http.of_type("SubscriptionConfirmation");
  ASSERT_EQ(confirmations.size(), 1u);
  const json& c = confirmations[0];
  EXPECT_EQ(c["TopicArn"], t);
  const std::string subscribe_url = c["SubscribeURL"];
  EXPECT_EQ(subscribe_url.rfind("http://localhost:4566/?Action=ConfirmSubscription&TopicArn=", 0), 0u) << subscribe_url;

  EXPECT_EQ(ok("GetSubscriptionAttributes", {{"SubscriptionArn", sub}})["Attributes"]["PendingConfirmation"], "true");
  json listed = ok("ListSubscriptionsByTopic", {{"TopicArn", t}});
  EXPECT_EQ(listed["Subscriptions"][0]["SubscriptionArn"], "PendingConfirmation");

  // The endpoint follows the link: an unsigned GET, routed by its Version.
  auto confirmed = h.raw(get_url(subscribe_url));
  ASSERT_EQ(confirmed.status, 200) << confirmed.text;
  EXPECT_NE(confirmed.text.find("<SubscriptionArn>" + sub + "</SubscriptionArn>"), std::string::npos) << confirmed.text;
  json a = ok("GetSubscriptionAttributes", {{"SubscriptionArn", sub}})["Attributes"];
  EXPECT_EQ(a["PendingConfirmation"], "false");
  EXPECT_EQ(a["ConfirmationWasAuthenticated"], "false");
  EXPECT_TRUE(a.contains("EffectiveDeliveryPolicy"));
  EXPECT_EQ(ok("ListSubscriptionsByTopic", {{"TopicArn", t}})["Subscriptions"][0]["SubscriptionArn"], sub);
  EXPECT_EQ(h.raw(get_url(subscribe_url)).status, 200) << "confirming twice is harmless";

  auto bad_token = call("ConfirmSubscription", {{"TopicArn", t}, {"Token", "0123"}});
  EXPECT_EQ(bad_token.code, "InvalidParameter");
  EXPECT_EQ(bad_token.message, "Invalid parameter: Token");

  // Every notification carries an UnsubscribeURL; following it unsubscribes.
  ok("Publish", {{"TopicArn", t}, {"Message", "hello"}});
  scheduler.run_pending();
  auto notes = http.of_type("Notification");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0]["Message"], "hello");
  const std::string cert_url = notes[0]["SigningCertURL"];
  EXPECT_EQ(cert_url, "http://localhost:4566" + certificate_path(*key));
  auto cert = h.raw(get_url(cert_url));
  ASSERT_EQ(cert.status, 200) << cert.text;
  EXPECT_EQ(cert.content_type, "application/x-x509-ca-cert");
  EXPECT_EQ(cert.text, key->certificate_pem());
  auto gone = h.raw(get_url(notes[0]["UnsubscribeURL"]));
  ASSERT_EQ(gone.status, 200) << gone.text;
  auto after = call("GetSubscriptionAttributes", {{"SubscriptionArn", sub}});
  EXPECT_EQ(after.status, 404);
  EXPECT_EQ(after.message, "Subscription does not exist");
  EXPECT_EQ(attributes(t)["SubscriptionsDeleted"], "1");
}

TEST_F(SnsHarnessTest, AnAuthenticatedSubscriptionNeedsASignedUnsubscribe) {
  const std::string t = create("orders");
  const std::string sub = subscribe(t, "https", "https://example.com/hook");
  scheduler.run_pending();
  auto confirmations = http.of_type("SubscriptionConfirmation");
  ASSERT_EQ(confirmations.size(), 1u);
  json confirmed = ok("ConfirmSubscription", {{"TopicArn", t},
                                              {"Token", confirmations[0]["Token"].get<std::string>()},
                                              {"AuthenticateOnUnsubscribe", "true"}});
  EXPECT_EQ(confirmed["SubscriptionArn"], sub);
  EXPECT_EQ(ok("GetSubscriptionAttributes", {{"SubscriptionArn", sub}})["Attributes"]["ConfirmationWasAuthenticated"],
            "true");
  ok("Publish", {{"TopicArn", t}, {"Message", "hello"}});
  scheduler.run_pending();
  auto notes = http.of_type("Notification");
  ASSERT_EQ(notes.size(), 1u);
  auto refused = h.raw(get_url(notes[0]["UnsubscribeURL"]));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.code, "AuthorizationError");
  EXPECT_EQ(ok("GetSubscriptionAttributes", {{"SubscriptionArn", sub}})["Attributes"]["SubscriptionArn"], sub);
  ok("Unsubscribe", {{"SubscriptionArn", sub}});  // signed
  EXPECT_EQ(call("GetSubscriptionAttributes", {{"SubscriptionArn", sub}}).code, "NotFound");
}

TEST_F(SnsHarnessTest, OnlyTheCertificateIsServedByPath) {
  auto other = h.raw(get_url("http://localhost:4566/SimpleNotificationService-0000.pem"));
  EXPECT_EQ(other.code, "MissingAction");
  server::HttpRequest post = get_url("http://localhost:4566" + certificate_path(*key));
  post.method = "POST";
  EXPECT_NE(h.raw(std::move(post)).status, 200) << "only GET serves it";
}

TEST_F(SnsHarnessTest, SubscriptionAttributesGetAndSet) {
  const std::string t = create("orders");
  const std::string q = "arn:aws:sqs:us-east-1:000000000000:q";
  const std::string sub = subscribe(t, "sqs", q);
  json a = ok("GetSubscriptionAttributes", {{"SubscriptionArn", sub}})["Attributes"];
  EXPECT_EQ(a["SubscriptionArn"], sub);
  EXPECT_EQ(a["TopicArn"], t);
  EXPECT_EQ(a["Protocol"], "sqs");
  EXPECT_EQ(a["Endpoint"], q);
  EXPECT_EQ(a["Owner"], kAccount);
  EXPECT_EQ(a["PendingConfirmation"], "false");
  EXPECT_EQ(a["RawMessageDelivery"], "false");
  EXPECT_FALSE(a.contains("FilterPolicyScope"));

  ok("SetSubscriptionAttributes",
     {{"SubscriptionArn", sub}, {"AttributeName", "RawMessageDelivery"}, {"AttributeValue", "true"}});
  ok("SetSubscriptionAttributes",
     {{"SubscriptionArn", sub}, {"AttributeName", "FilterPolicy"}, {"AttributeValue", R"({"kind":["order"]})"}});
  a = ok("GetSubscriptionAttributes", {{"SubscriptionArn", sub}})["Attributes"];
  EXPECT_EQ(a["RawMessageDelivery"], "true");
  EXPECT_EQ(a["FilterPolicy"], R"({"kind":["order"]})");
  EXPECT_EQ(a["FilterPolicyScope"], "MessageAttributes");

  auto bad_filter =
      call("SetSubscriptionAttributes",
           {{"SubscriptionArn", sub}, {"AttributeName", "FilterPolicy"}, {"AttributeValue", "{not json"}});
  EXPECT_EQ(bad_filter.code, "InvalidParameter");
  EXPECT_EQ(bad_filter.message.rfind("Invalid parameter: FilterPolicy", 0), 0u) << bad_filter.message;
  auto unknown = call("SetSubscriptionAttributes",
                      {{"SubscriptionArn", sub}, {"AttributeName", "Colour"}, {"AttributeValue", "red"}});
  EXPECT_EQ(unknown.code, "InvalidParameter");
  EXPECT_EQ(unknown.message, "Invalid parameter: AttributeName");
  EXPECT_EQ(call("GetSubscriptionAttributes", {{"SubscriptionArn", t + ":00000000-0000-4000-8000-000000000000"}}).code,
            "NotFound");
  EXPECT_EQ(call("GetSubscriptionAttributes", {{"SubscriptionArn", "nonsense"}}).code, "InvalidParameter");
  ok("Unsubscribe", {{"SubscriptionArn", sub}});
  ok("Unsubscribe", {{"SubscriptionArn", sub}});  // gone already: succeeds
}

TEST_F(SnsHarnessTest, ListSubscriptionsOfTheAccountAndOfATopic) {
  const std::string a = create("a"), b = create("b");
  const std::string q = "arn:aws:sqs:us-east-1:000000000000:q";
  const std::string sa = subscribe(a, "sqs", q), sb = subscribe(b, "sqs", q);
  json all = ok("ListSubscriptions");
  ASSERT_EQ(all["Subscriptions"].size(), 2u) << all;
  std::set<std::string> arns;
  for (const auto& s : all["Subscriptions"]) {
    arns.insert(s["SubscriptionArn"].get<std::string>());
    EXPECT_EQ(s["Protocol"], "sqs");
    EXPECT_EQ(s["Endpoint"], q);
    EXPECT_EQ(s["Owner"], kAccount);
  }
  EXPECT_EQ(arns, (std::set<std::string>{sa, sb}));
  json of_b = ok("ListSubscriptionsByTopic", {{"TopicArn", b}});
  ASSERT_EQ(of_b["Subscriptions"].size(), 1u);
  EXPECT_EQ(of_b["Subscriptions"][0]["SubscriptionArn"], sb);
  EXPECT_EQ(of_b["Subscriptions"][0]["TopicArn"], b);
  EXPECT_EQ(call("ListSubscriptionsByTopic", {{"TopicArn", arn("nope")}}).code, "NotFound");
  auto xml = h.query("ListSubscriptions", {});
  EXPECT_NE(xml.text.find("<Subscriptions><member>"), std::string::npos) << xml.text;
}

// --- publishing ---------------------------------------------------------------------------------

TEST_F(SnsHarnessTest, PublishAnswersAMessageId) {
  const std::string t = create("orders");
  json r = ok("Publish", {{"TopicArn", t}, {"Message", "hello"}, {"Subject", "greeting"}});
  EXPECT_EQ(r.value("MessageId", "").size(), 36u) << r;
  EXPECT_FALSE(r.contains("SequenceNumber"));
  EXPECT_TRUE(ok("Publish", {{"TargetArn", t}, {"Message", "by target"}}).contains("MessageId"));
  Params with_attributes = {{"TopicArn", t}, {"Message", "m"}};
  add_message_attribute(with_attributes, "", 1, "kind", "String", "order");
  add_message_attribute(with_attributes, "", 2, "price", "Number", "12.5");
  add_message_attribute(with_attributes, "", 3, "tags", "String.Array", R"(["a","b"])");
  add_message_attribute(with_attributes, "", 4, "blob", "Binary", base64_encode("\x01\x02"));
  add_message_attribute(with_attributes, "", 5, "unit", "Number.float", "1");
  EXPECT_TRUE(ok("Publish", with_attributes).contains("MessageId"));
  const std::string structured = R"({"default":"plain","sqs":"for queues","http":{"not":"a string"}})";
  EXPECT_TRUE(
      ok("Publish", {{"TopicArn", t}, {"Message", structured}, {"MessageStructure", "json"}}).contains("MessageId"));
  auto xml = h.query("Publish", {{"TopicArn", t}, {"Message", "x"}});
  EXPECT_NE(xml.text.find("<PublishResult><MessageId>"), std::string::npos) << xml.text;
}

TEST_F(SnsHarnessTest, PublishRefusesWhatSnsRefuses) {
  const std::string t = create("orders");
  auto expect = [&](const Params& p, const std::string& code, const std::string& message) {
    Params all = {{"TopicArn", t}};
    all.insert(all.end(), p.begin(), p.end());
    auto r = call("Publish", all);
    EXPECT_EQ(r.status, 400) << message;
    EXPECT_EQ(r.code, code) << message;
    EXPECT_EQ(r.message, message);
  };
  expect({{"Message", ""}}, "InvalidParameter", "Invalid parameter: Empty message");
  expect({{"Message", std::string(262'145, 'x')}}, "InvalidParameter", "Invalid parameter: Message too long");
  expect({{"Message", R"({"sqs":"x"})"}, {"MessageStructure", "json"}}, "InvalidParameter",
         "Invalid parameter: Message Structure - No default entry in JSON message body");
  expect({{"Message", "not json"}, {"MessageStructure", "json"}}, "InvalidParameter",
         "Invalid parameter: Message Structure - JSON message body failed to parse");
  expect({{"Message", "m"}, {"MessageDeduplicationId", "d"}}, "InvalidParameter",
         "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that "
         "is not valid for this topic type");
  Params bad_type = {{"Message", "m"}};
  add_message_attribute(bad_type, "", 1, "when", "Timestamp", "now");
  expect(bad_type, "ParameterValueInvalid",
         "The message attribute 'when' has an invalid message attribute type, the set of supported type prefixes is "
         "Binary, Number, and String.");
  Params bad_number = {{"Message", "m"}};
  add_message_attribute(bad_number, "", 1, "price", "Number", "twelve");
  EXPECT_EQ(call("Publish",
                 [&] {
                   Params all = {{"TopicArn", t}};
                   all.insert(all.end(), bad_number.begin(), bad_number.end());
                   return all;
                 }())
                .code,
            "ParameterValueInvalid");
  Params bad_name = {{"Message", "m"}};
  add_message_attribute(bad_name, "", 1, "AWS.reserved", "String", "v");
  EXPECT_EQ(call("Publish",
                 [&] {
                   Params all = {{"TopicArn", t}};
                   all.insert(all.end(), bad_name.begin(), bad_name.end());
                   return all;
                 }())
                .code,
            "ParameterValueInvalid");

  auto phone = call("Publish", {{"PhoneNumber", "+15555550100"}, {"Message", "m"}});
  EXPECT_EQ(phone.code, "InvalidParameter");
  EXPECT_NE(phone.message.find("Sluice does not send SMS"), std::string::npos);
  auto nowhere = call("Publish", {{"Message", "m"}});
  EXPECT_EQ(nowhere.code, "InvalidParameter");
  EXPECT_EQ(call("Publish", {{"TopicArn", arn("nope")}, {"Message", "m"}}).code, "NotFound");
  EXPECT_EQ(call("Publish", {{"TopicArn", t}}).code, "ValidationError") << "Message is required";
}

TEST_F(SnsHarnessTest, FifoTopicsNeedGroupsAndDeduplicate) {
  const std::string t = create("events.fifo", {{"FifoTopic", "true"}});
  auto no_group = call("Publish", {{"TopicArn", t}, {"Message", "m"}, {"MessageDeduplicationId", "d1"}});
  EXPECT_EQ(no_group.code, "InvalidParameter");
  EXPECT_EQ(no_group.message, "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
  auto no_dedup = call("Publish", {{"TopicArn", t}, {"Message", "m"}, {"MessageGroupId", "g"}});
  EXPECT_EQ(no_dedup.message,
            "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
            "MessageDeduplicationId provided explicitly");
  json first =
      ok("Publish", {{"TopicArn", t}, {"Message", "m"}, {"MessageGroupId", "g"}, {"MessageDeduplicationId", "d1"}});
  ASSERT_TRUE(first.contains("SequenceNumber")) << first;
  EXPECT_EQ(first["SequenceNumber"].get<std::string>().size(), 20u);
  json again =
      ok("Publish", {{"TopicArn", t}, {"Message", "m"}, {"MessageGroupId", "g"}, {"MessageDeduplicationId", "d1"}});
  EXPECT_EQ(again["MessageId"], first["MessageId"]) << "deduplicated within five minutes";
}

TEST_F(SnsHarnessTest, PublishBatchReportsEachEntry) {
  const std::string t = create("orders");
  Params p = {{"TopicArn", t}};
  const std::string e = "PublishBatchRequestEntries.member.";
  p.emplace_back(e + "1.Id", "good");
  p.emplace_back(e + "1.Message", "one");
  p.emplace_back(e + "2.Id", "bad-type");
  p.emplace_back(e + "2.Message", "two");
  add_message_attribute(p, e + "2.", 1, "when", "Timestamp", "now");
  p.emplace_back(e + "3.Id", "empty");
  p.emplace_back(e + "3.Message", "");
  p.emplace_back(e + "4.Id", "also_good");
  p.emplace_back(e + "4.Message", "four");
  p.emplace_back(e + "4.Subject", "s");
  json r = ok("PublishBatch", p);
  ASSERT_EQ(r["Successful"].size(), 2u) << r;
  ASSERT_EQ(r["Failed"].size(), 2u) << r;
  std::set<std::string> good;
  for (const auto& s : r["Successful"]) {
    good.insert(s["Id"].get<std::string>());
    EXPECT_EQ(s["MessageId"].get<std::string>().size(), 36u);
  }
  EXPECT_EQ(good, (std::set<std::string>{"good", "also_good"}));
  for (const auto& f : r["Failed"]) {
    EXPECT_EQ(f["SenderFault"], true);
    if (f["Id"] == "bad-type") {
      EXPECT_EQ(f["Code"], "ParameterValueInvalid");
    }
    if (f["Id"] == "empty") {
      EXPECT_EQ(f["Code"], "InvalidParameter");
      EXPECT_EQ(f["Message"], "Invalid parameter: Empty message");
    }
  }
  auto xml = h.query("PublishBatch", p);
  EXPECT_NE(xml.text.find("<Successful><member><Id>"), std::string::npos) << xml.text;
  EXPECT_NE(xml.text.find("<Failed><member>"), std::string::npos) << xml.text;
}

TEST_F(SnsHarnessTest, PublishBatchRefusesMalformedBatches) {
  const std::string t = create("orders");
  const std::string e = "PublishBatchRequestEntries.member.";
  auto batch = [&](const std::vector<std::pair<std::string, std::string>>& entries) {
    Params p = {{"TopicArn", t}};
    for (size_t i = 0; i < entries.size(); ++i) {
      p.emplace_back(e + std::to_string(i + 1) + ".Id", entries[i].first);
      p.emplace_back(e + std::to_string(i + 1) + ".Message", entries[i].second);
    }
    return call("PublishBatch", p);
  };
  std::vector<std::pair<std::string, std::string>> eleven;
  for (int i = 0; i < 11; ++i) eleven.emplace_back("id" + std::to_string(i), "m");
  auto too_many = batch(eleven);
  EXPECT_EQ(too_many.code, "TooManyEntriesInBatchRequest");
  EXPECT_EQ(too_many.message, "The batch request contains more entries than permissible.");
  auto same = batch({{"a", "m"}, {"a", "m"}});
  EXPECT_EQ(same.code, "BatchEntryIdsNotDistinct");
  EXPECT_EQ(same.message, "Two or more batch entries in the request have the same Id.");
  EXPECT_EQ(batch({{"not ok", "m"}}).code, "InvalidBatchEntryId");
  EXPECT_EQ(batch({{std::string(81, 'a'), "m"}}).code, "InvalidBatchEntryId");
  EXPECT_EQ(batch({{std::string(80, 'a'), "m"}}).status, 200);
  auto big = batch({{"a", std::string(150'000, 'x')}, {"b", std::string(150'000, 'y')}});
  EXPECT_EQ(big.code, "BatchRequestTooLong");
  auto empty = call("PublishBatch", {{"TopicArn", t}, {"PublishBatchRequestEntries", ""}});
  EXPECT_EQ(empty.code, "EmptyBatchRequest");
  EXPECT_EQ(call("PublishBatch", {{"TopicArn", t}}).code, "EmptyBatchRequest") << "no entries at all";
  EXPECT_EQ(call("PublishBatch", {{"TopicArn", arn("nope")}, {e + "1.Id", "a"}, {e + "1.Message", "m"}}).code,
            "NotFound");

  const std::string f = create("events.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}});
  Params fifo = {{"TopicArn", f},   {e + "1.Id", "a"},     {e + "1.Message", "m"}, {e + "1.MessageGroupId", "g"},
                 {e + "2.Id", "b"}, {e + "2.Message", "n"}};
  auto no_group = call("PublishBatch", fifo);
  EXPECT_EQ(no_group.code, "InvalidParameter") << "one entry without a group fails the batch";
  fifo.emplace_back(e + "2.MessageGroupId", "g");
  json r = ok("PublishBatch", fifo);
  ASSERT_EQ(r["Successful"].size(), 2u) << r;
  EXPECT_TRUE(r["Successful"][0].contains("SequenceNumber"));
}

// --- tags, permissions, data protection -------------------------------------------------------

TEST_F(SnsHarnessTest, TagsAreSetListedAndRemoved) {
  const std::string t = create("orders");
  Params tag = {{"ResourceArn", t}};
  add_tags(tag, {{"team", "shop"}, {"env", "prod"}});
  ok("TagResource", tag);
  json listed = ok("ListTagsForResource", {{"ResourceArn", t}});
  ASSERT_EQ(listed["Tags"].size(), 2u) << listed;
  std::set<std::string> keys;
  for (const auto& kv : listed["Tags"]) keys.insert(kv["Key"].get<std::string>());
  EXPECT_EQ(keys, (std::set<std::string>{"team", "env"}));
  Params untag = {{"ResourceArn", t}};
  add_list(untag, "TagKeys", {"env"});
  ok("UntagResource", untag);
  listed = ok("ListTagsForResource", {{"ResourceArn", t}});
  ASSERT_EQ(listed["Tags"].size(), 1u);
  EXPECT_EQ(listed["Tags"][0]["Key"], "team");
  EXPECT_EQ(listed["Tags"][0]["Value"], "shop");
  auto xml = h.query("ListTagsForResource", {{"ResourceArn", t}});
  EXPECT_NE(xml.text.find("<Tags><member><Key>team</Key><Value>shop</Value></member></Tags>"), std::string::npos)
      << xml.text;

  Params duplicated = {{"ResourceArn", t}};
  add_tags(duplicated, {{"k", "1"}, {"k", "2"}});
  auto dup = call("TagResource", duplicated);
  EXPECT_EQ(dup.code, "InvalidParameter");
  EXPECT_EQ(dup.message, "Invalid parameter: Duplicated keys are not allowed.");
  Params too_many = {{"ResourceArn", t}};
  std::vector<std::pair<std::string, std::string>> fifty;
  for (int i = 0; i < 50; ++i) fifty.emplace_back("k" + std::to_string(i), "v");
  add_tags(too_many, fifty);
  auto over = call("TagResource", too_many);
  EXPECT_EQ(over.code, "TagLimitExceeded") << over.message;
  EXPECT_EQ(over.message, "Could not complete request: tag quota of per resource exceeded");
  Params long_key = {{"ResourceArn", t}};
  add_tags(long_key, {{std::string(129, 'k'), "v"}});
  EXPECT_EQ(call("TagResource", long_key).code, "InvalidParameter");
  auto missing = call("ListTagsForResource", {{"ResourceArn", arn("nope")}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.code, "ResourceNotFound");
  EXPECT_EQ(missing.message, "Resource does not exist");

  Params at_create = {{"Name", "tagged"}};
  add_tags(at_create, {{"team", "shop"}});
  const std::string tagged = ok("CreateTopic", at_create)["TopicArn"];
  EXPECT_EQ(ok("ListTagsForResource", {{"ResourceArn", tagged}})["Tags"].size(), 1u);
}

TEST_F(SnsHarnessTest, PermissionsEditTheTopicPolicy) {
  const std::string t = create("orders");
  Params add = {{"TopicArn", t}, {"Label", "let-them-publish"}};
  add_list(add, "AWSAccountId", {"111111111111"});
  add_list(add, "ActionName", {"Publish"});
  ok("AddPermission", add);
  json policy = json::parse(attributes(t)["Policy"].get<std::string>());
  bool found = false;
  for (const auto& s : policy["Statement"])
    if (s.value("Sid", "") == "let-them-publish") {
      found = true;
      EXPECT_EQ(s["Action"][0], "SNS:Publish");
      EXPECT_EQ(s["Principal"]["AWS"][0], "arn:aws:iam::111111111111:root");
    }
  EXPECT_TRUE(found) << policy;
  EXPECT_EQ(call("AddPermission", add).code, "InvalidParameter") << "the label exists";
  ok("RemovePermission", {{"TopicArn", t}, {"Label", "let-them-publish"}});
  policy = json::parse(attributes(t)["Policy"].get<std::string>());
  for (const auto& s : policy["Statement"]) EXPECT_NE(s.value("Sid", ""), "let-them-publish");
  EXPECT_EQ(call("RemovePermission", {{"TopicArn", t}, {"Label", "let-them-publish"}}).code, "InvalidParameter");
  EXPECT_EQ(call("AddPermission", {{"TopicArn", t}, {"Label", "x"}}).code, "ValidationError");
  EXPECT_EQ(call("RemovePermission", {{"TopicArn", arn("nope")}, {"Label", "x"}}).code, "NotFound");
}

TEST_F(SnsHarnessTest, DataProtectionPoliciesAreStored) {
  const std::string t = create("orders");
  EXPECT_FALSE(ok("GetDataProtectionPolicy", {{"ResourceArn", t}}).contains("DataProtectionPolicy"));
  const std::string policy = R"({"Name":"p","Version":"2021-06-01","Statement":[]})";
  ok("PutDataProtectionPolicy", {{"ResourceArn", t}, {"DataProtectionPolicy", policy}});
  EXPECT_EQ(ok("GetDataProtectionPolicy", {{"ResourceArn", t}})["DataProtectionPolicy"], policy);
  EXPECT_EQ(call("PutDataProtectionPolicy", {{"ResourceArn", t}, {"DataProtectionPolicy", "nope"}}).code,
            "InvalidParameter");
  EXPECT_EQ(call("GetDataProtectionPolicy", {{"ResourceArn", arn("nope")}}).status, 404);
  Params at_create = {{"Name", "protected"}, {"DataProtectionPolicy", policy}};
  const std::string p = ok("CreateTopic", at_create)["TopicArn"];
  EXPECT_EQ(ok("GetDataProtectionPolicy", {{"ResourceArn", p}})["DataProtectionPolicy"], policy);
}

// --- what Sluice does not do ---------------------------------------------------------------------

TEST_F(SnsHarnessTest, SmsAndMobilePushAreRefusedInSnsShape) {
  const std::vector<std::pair<std::string, Params>> calls = {
      {"ListPlatformApplications", {}},
      {"CreatePlatformApplication",
       {{"Name", "app"},
        {"Platform", "GCM"},
        {"Attributes.entry.1.key", "PlatformCredential"},
        {"Attributes.entry.1.value", "x"}}},
      {"CreatePlatformEndpoint",
       {{"PlatformApplicationArn", "arn:aws:sns:us-east-1:000000000000:app/GCM/app"}, {"Token", "t"}}},
      {"GetSMSAttributes", {}},
      {"SetSMSAttributes", {{"attributes.entry.1.key", "DefaultSMSType"}, {"attributes.entry.1.value", "Promotional"}}},
      {"CheckIfPhoneNumberIsOptedOut", {{"phoneNumber", "+15555550100"}}},
      {"ListPhoneNumbersOptedOut", {}},
      {"ListOriginationNumbers", {}},
      {"GetSMSSandboxAccountStatus", {}},
      {"ListSMSSandboxPhoneNumbers", {}},
  };
  for (const auto& [action, params] : calls) {
    auto r = call(action, params);
    EXPECT_EQ(r.status, 400) << action << ": " << r.text;
    EXPECT_EQ(r.code, "InvalidParameter") << action;
    EXPECT_NE(r.message.find(action + " is not supported by Sluice"), std::string::npos) << r.message;
  }
  auto xml = h.query("ListPlatformApplications", {});
  EXPECT_NE(xml.text.find("<Type>Sender</Type><Code>InvalidParameter</Code>"), std::string::npos) << xml.text;
}

}  // namespace
}  // namespace sluice::sns
