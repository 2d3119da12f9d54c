// The generic endpoint: which service a request reaches (credential scope,
// X-Amz-Target prefix, query Version, or the one service with the Action), which
// region and account it runs as, and the framework's own errors, each in the
// protocol the request came in. Nothing a request holds takes it down.

#include "sidecar/aws/endpoint.h"

#include <gtest/gtest.h>

#include "sidecar/aws/testing/harness.h"
#include "sidecar/aws/tests/toy_service.h"

namespace sluice::aws {
namespace {

using testing::Harness;
using testing::Identity;
using testing::Reply;

class EndpointTest : public ::testing::Test {
 protected:
  toy::Toys toys;
  toy::ToyService service{toys};
  Harness h{{&service}, EndpointOptions{"us-east-1", "000000000000"}};

  Reply post(std::vector<std::pair<std::string, std::string>> headers, std::string body, std::string method = "POST",
             std::string query = "") {
    server::HttpRequest req;
    req.method = std::move(method);
    req.path = "/";
    req.query = std::move(query);
    req.headers = std::move(headers);
    req.body = std::move(body);
    return h.raw(std::move(req));
  }
};

TEST_F(EndpointTest, JsonCallsReachTheServiceByItsTargetPrefix) {
  auto r = h.call("Ping", {{"Name", "bob"}, {"Times", 2}});
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.1") << "the model's jsonVersion";
  EXPECT_EQ(r.body["Greeting"], "hello bob hello bob");
  EXPECT_FALSE(r.header("x-amzn-RequestId").empty());
}

TEST_F(EndpointTest, QueryCallsReachItByVersionOrByAction) {
  auto r = h.query("Ping", {{"Name", "ann"}});
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.content_type, "text/xml");
  EXPECT_NE(r.text.find("<PingResponse xmlns=\"http://toy.example/doc/2026-01-01/\"><PingResult>"), std::string::npos)
      << r.text;
  EXPECT_NE(r.text.find("<Greeting>hello ann</Greeting>"), std::string::npos) << r.text;
  // Unsigned, without a Version: the one service that has the action.
  auto unsigned_get = post({{"host", "h"}}, "", "GET", "Action=Ping&Name=cy");
  ASSERT_EQ(unsigned_get.status, 200) << unsigned_get.text;
  EXPECT_NE(unsigned_get.text.find("hello cy"), std::string::npos);
}

TEST_F(EndpointTest, TheCallerIsTheScopesRegionAndTheKeysAccount) {
  auto r = h.call("Ping", {{"Name", "x"}}, Identity{"111111111111", "eu-west-1"});
  EXPECT_EQ(r.body["Region"], "eu-west-1");
  EXPECT_EQ(r.body["Account"], "111111111111");
  auto anonymous = post({{"x-amz-target", "Toy_20260101.Ping"}}, R"({"Name": "x"})");
  EXPECT_EQ(anonymous.body["Region"], "us-east-1") << "unsigned: the server's region";
  EXPECT_EQ(anonymous.body["Account"], "000000000000") << "unsigned: the default account";
  auto presigned =
      post({{"host", "h"}}, "", "GET",
           "Action=Ping&Name=x&X-Amz-Credential=222222222222%2F20251203%2Fap-south-1%2Ftoy%2Faws4_request");
  EXPECT_NE(presigned.text.find("<Region>ap-south-1</Region>"), std::string::npos) << presigned.text;
  EXPECT_NE(presigned.text.find("<Account>222222222222</Account>"), std::string::npos) << presigned.text;
}

TEST_F(EndpointTest, EngineErrorsGoThroughTheServicesMap) {
  auto r = h.call("Ping", {{"Name", "missing"}});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["__type"], "NoSuchToyException") << "the model's error namespace (none)";
  auto q = h.query("Ping", {{"Name", "missing"}});
  EXPECT_EQ(q.status, 404);
  EXPECT_EQ(q.code, "NoSuchToy");
  // A missing required member is the service's to describe too.
  EXPECT_EQ(h.call("Ping", nlohmann::json::object()).code, "ValidationException");
}

TEST_F(EndpointTest, FrameworkErrorsComeInTheRequestsProtocol) {
  for (const char* target : {"x", "Foo.Bar", "Toy_20260101", "Toy_20260101.", "Toy_20260101.Nope", "XToy_20260101.Ping",
                             "Toy_20260101Ping", ".Ping"}) {
    auto r = post({{"x-amz-target", target}}, "{}");
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.code, "UnknownOperationException") << target;
    EXPECT_EQ(r.body["__type"], "com.amazon.coral.service#UnknownOperationException") << target;
  }
  auto bad_json = post({{"x-amz-target", "Toy_20260101.Ping"}}, R"({"Name": )");
  EXPECT_EQ(bad_json.code, "SerializationException");
  auto not_object = post({{"x-amz-target", "Toy_20260101.Ping"}}, "[1]");
  EXPECT_EQ(not_object.code, "SerializationException");
  auto wrong_type = post({{"x-amz-target", "Toy_20260101.Ping"}}, R"({"Name": "x", "Times": "two"})");
  EXPECT_EQ(wrong_type.code, "SerializationException");

  auto form = [&](const std::string& body) {
    return post({{"content-type", "application/x-www-form-urlencoded"}}, body);
  };
  EXPECT_EQ(form("Name=x").code, "MissingAction");
  EXPECT_EQ(form("Action=Nope&Version=2026-01-01").code, "InvalidAction");
  EXPECT_EQ(form("Action=Ping&Version=1999-01-01&Name=x").code, "InvalidAction");
  EXPECT_EQ(post({{"content-type", "text/plain"}}, "hello").code, "InvalidAction");
  EXPECT_EQ(post({}, "", "DELETE").status, 405);
  auto unknown_service = post(
      {{"authorization", Harness::authorization({}, "dynamodb")}, {"x-amz-target", "DynamoDB_20120810.ListTables"}},
      "{}");
  EXPECT_EQ(unknown_service.code, "UnknownOperationException");
  EXPECT_NE(unknown_service.message.find("dynamodb"), std::string::npos);
}

TEST_F(EndpointTest, AHandlerThatThrowsIsAnInternalFailureNotACrash) {
  auto r = h.call("Ping", {{"Name", "throw"}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body["__type"], "InternalFailure");
  EXPECT_EQ(h.call("Ping", {{"Name", "still-up"}}).status, 200);
}

TEST_F(EndpointTest, QueryRequestsMayAskForJson) {
  server::HttpRequest req;
  req.method = "GET";
  req.path = "/";
  req.query = "Action=Ping&Version=2026-01-01&Name=j";
  req.headers = {{"accept", "application/json"}};
  auto r = h.raw(std::move(req));
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["PingResponse"]["PingResult"]["Greeting"], "hello j");
  EXPECT_TRUE(r.body["PingResponse"]["ResponseMetadata"].contains("RequestId"));
  server::HttpRequest bad;
  bad.method = "GET";
  bad.path = "/";
  bad.query = "Action=Ping&Version=2026-01-01&Name=missing";
  bad.headers = {{"accept", "application/json"}};
  auto e = h.raw(std::move(bad));
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.body["Error"]["Code"], "NoSuchToy");
}

// The toy service, plus one file it serves by path (as SNS serves its certificate).
class FileServingToy final : public Service {
 public:
  explicit FileServingToy(Service& inner) : inner_(inner) {}
  const protocol::ServiceModel& model() const override { return inner_.model(); }
  bool implements(std::string_view operation) const override { return inner_.implements(operation); }
  void run(const CallPtr& call) override { inner_.run(call); }
  protocol::AwsError to_aws_error(const Error& error) const override { return inner_.to_aws_error(error); }
  std::optional<server::HttpResponse> serve_path(const server::HttpRequest& request) const override {
    if (request.path != "/toy.pem") return std::nullopt;
    server::HttpResponse r;
    r.content_type = "application/x-x509-ca-cert";
    r.body = "-----BEGIN CERTIFICATE-----";
    return r;
  }

 private:
  Service& inner_;
};

TEST_F(EndpointTest, AServiceMayServeAPlainGetByPath) {
  FileServingToy files(service);
  Harness fh{{&files}, EndpointOptions{"us-east-1", "000000000000"}};
  auto get = [&](std::string path, std::string query = "") {
    server::HttpRequest req;
    req.method = "GET";
    req.path = std::move(path);
    req.query = std::move(query);
    return fh.raw(std::move(req));
  };
  auto pem = get("/toy.pem");
  ASSERT_EQ(pem.status, 200) << pem.text;
  EXPECT_EQ(pem.content_type, "application/x-x509-ca-cert");
  EXPECT_EQ(pem.text, "-----BEGIN CERTIFICATE-----");
  EXPECT_EQ(get("/other.pem").code, "MissingAction") << "a path no service serves is still a call without an Action";
  auto call = get("/toy.pem", "Action=Ping&Name=z");
  ASSERT_EQ(call.status, 200) << "with an Action it is an API call, whatever the path";
  EXPECT_NE(call.text.find("hello z"), std::string::npos);
  server::HttpRequest post;
  post.method = "POST";
  post.path = "/toy.pem";
  EXPECT_EQ(fh.raw(std::move(post)).code, "MissingAction") << "only GET serves files";
}

}  // namespace
}  // namespace sluice::aws
