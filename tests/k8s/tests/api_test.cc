// The request handling of the test API server, driven in-process through Api::handle
// (no sockets): discovery, CRD registration, write semantics, subresources, finalizers,
// namespaces, watches and the testing hooks.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <yaml-cpp/yaml.h>

#include "tests/k8s/apiserver/api.h"

namespace sluice::test_apiserver {
namespace {

// The test manifests are YAML (kubectl reads the same files); the API takes JSON.
Json to_json(const YAML::Node& n) {
  if (n.IsMap()) {
    Json o = Json::object();
    for (const auto& kv : n) o[kv.first.as<std::string>()] = to_json(kv.second);
    return o;
  }
  if (n.IsSequence()) {
    Json a = Json::array();
    for (const auto& v : n) a.push_back(to_json(v));
    return a;
  }
  if (n.IsNull()) return nullptr;
  std::string s = n.as<std::string>();
  if (n.Tag() == "!") return s;  // quoted: always a string
  if (s == "true" || s == "false") return s == "true";
  Json number = Json::parse(s, nullptr, false);
  return number.is_number() ? number : Json(s);
}

std::string testdata(const std::string& name) {
  return to_json(YAML::LoadFile(std::string(SLUICE_K8S_TESTDATA) + "/" + name)).dump();
}

struct Reply {
  int status = 0;
  Json body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class CollectingSink : public StreamSink {
 public:
  bool write(std::string_view chunk) override {
    std::lock_guard lock(mu);
    lines.push_back(Json::parse(chunk));
    return true;
  }
  bool client_gone() override { return gone; }
  std::vector<Json> snapshot() {
    std::lock_guard lock(mu);
    return lines;
  }
  std::atomic<bool> gone{false};
  std::mutex mu;
  std::vector<Json> lines;
};

class ApiTest : public ::testing::Test {
 protected:
  ApiOptions options() {
    ApiOptions o;
    o.users = {{"admin", "admin-token"}, {"operator", "operator-token"}};
    return o;
  }
  Api api{options()};

  Reply call(const std::string& method, const std::string& target, const std::string& body = "",
             const std::string& content_type = "application/json", const std::string& accept = "",
             const std::string& token = "admin-token") {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = body;
    if (!content_type.empty() && !body.empty()) r.headers["content-type"] = content_type;
    if (!accept.empty()) r.headers["accept"] = accept;
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    HttpResponse resp = api.handle(r);
    Reply out;
    out.status = resp.status;
    out.headers = resp.headers;
    if (!resp.body.empty()) out.body = Json::parse(resp.body, nullptr, false);
    return out;
  }
  Reply post(const std::string& target, const Json& body) { return call("POST", target, body.dump()); }
  Reply put(const std::string& target, const Json& body) { return call("PUT", target, body.dump()); }
  Reply patch(const std::string& target, const Json& body, const std::string& type = "application/merge-patch+json") {
    return call("PATCH", target, body.dump(), type);
  }
  Reply get(const std::string& target) { return call("GET", target); }

  // Runs a watch until `until` holds for the events seen, or 5 s pass.
  std::vector<Json> watch(const std::string& target, const std::function<void()>& during,
                          const std::function<bool(const std::vector<Json>&)>& until) {
    HttpRequest r;
    r.method = "GET";
    r.target = target;
    HttpResponse resp = api.handle(r);
    EXPECT_TRUE(resp.stream) << resp.body;
    if (!resp.stream) return {};
    CollectingSink sink;
    std::thread t([&] { resp.stream(sink); });
    during();
    for (int i = 0; i < 500 && !until(sink.snapshot()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    sink.gone = true;
    t.join();
    return sink.snapshot();
  }

  void install_queue_crd() {
    Reply r = call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", testdata("queue-crd.yaml"));
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }

  Json queue(const std::string& name, const Json& spec = Json::object()) {
    Json s = spec;
    s["queueName"] = name;
    return {{"apiVersion", "sluice.io/v1alpha1"}, {"kind", "Queue"}, {"metadata", {{"name", name}}}, {"spec", s}};
  }

  static constexpr const char* kQueues = "/apis/sluice.io/v1alpha1/namespaces/default/queues";
};

TEST_F(ApiTest, AggregatedDiscoveryHasTheExactContentTypeAndGrowsWithCrds) {
  HttpRequest r;
  r.method = "GET";
  r.target = "/apis";
  r.headers["accept"] = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
  HttpResponse before = api.handle(r);
  EXPECT_EQ(before.content_type, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  EXPECT_EQ(before.body.find("sluice.io"), std::string::npos);
  std::string root_before = get("/openapi/v3").body.dump();
  install_queue_crd();
  Json after = Json::parse(api.handle(r).body);
  bool found = false;
  for (const auto& g : after["items"]) {
    if (g["metadata"]["name"] == "sluice.io") {
      const Json& res = g["versions"][0]["resources"][0];
      EXPECT_EQ(res["resource"], "queues");
      EXPECT_EQ(res["categories"], Json::parse(R"(["sluice"])"));
      EXPECT_EQ(res["subresources"][0]["subresource"], "status");
      found = true;
    }
  }
  EXPECT_TRUE(found);
  Json root = get("/openapi/v3").body;
  ASSERT_TRUE(root["paths"].contains("apis/sluice.io/v1alpha1"));
  EXPECT_NE(root.dump(), root_before);
  Json doc = get("/openapi/v3/apis/sluice.io/v1alpha1").body;
  const Json& op = doc["paths"]["/apis/sluice.io/v1alpha1/namespaces/{namespace}/queues/{name}"]["patch"];
  EXPECT_EQ(op["x-kubernetes-group-version-kind"]["kind"], "Queue");
  bool field_validation = false;
  for (const auto& p : op["parameters"]) field_validation |= p["name"] == "fieldValidation";
  EXPECT_TRUE(field_validation);
  EXPECT_EQ(get("/openapi/v2").status, 404);
  EXPECT_EQ(get("/api").body["kind"], "APIVersions");
  EXPECT_EQ(get("/apis/sluice.io/v1alpha1").body["resources"][0]["name"], "queues");
}

TEST_F(ApiTest, CreateGetListConflictsAndGenerateName) {
  install_queue_crd();
  Reply created = post(kQueues, queue("orders"));
  ASSERT_EQ(created.status, 201) << created.body.dump();
  EXPECT_EQ(created.body["metadata"]["generation"], 1);
  EXPECT_EQ(created.body["spec"]["visibilityTimeout"], 30);  // schema default
  EXPECT_FALSE(created.body["metadata"]["uid"].get<std::string>().empty());
  EXPECT_EQ(post(kQueues, queue("orders")).body["reason"], "AlreadyExists");
  Json gen = queue("");
  gen["metadata"] = {{"generateName", "q-"}};
  gen["spec"]["queueName"] = "g";
  Reply g = post(kQueues, gen);
  ASSERT_EQ(g.status, 201);
  EXPECT_EQ(g.body["metadata"]["name"].get<std::string>().size(), 7u);
  Reply list = get(kQueues);
  EXPECT_EQ(list.body["kind"], "QueueList");
  EXPECT_EQ(list.body["items"].size(), 2u);
  EXPECT_EQ(get(std::string(kQueues) + "/nope").body["message"], "queues.sluice.io \"nope\" not found");
  Reply other_ns = post("/apis/sluice.io/v1alpha1/namespaces/missing/queues", queue("x"));
  EXPECT_EQ(other_ns.status, 404);
  EXPECT_EQ(other_ns.body["message"], "namespaces \"missing\" not found");
}

TEST_F(ApiTest, StrictValidationAndInvalidStatus) {
  install_queue_crd();
  Reply unknown = call("POST", std::string(kQueues) + "?fieldValidation=Strict", queue("o", {{"foo", 1}}).dump());
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(
      unknown.body["message"],
      "Queue in version \"v1alpha1\" cannot be handled as a Queue: strict decoding error: unknown field \"spec.foo\"");
  Reply warned = post(kQueues, queue("o", {{"foo", 1}}));
  ASSERT_EQ(warned.status, 201);
  ASSERT_EQ(warned.headers.size(), 1u);
  EXPECT_EQ(warned.headers[0].second, "299 - \"unknown field \\\"spec.foo\\\"\"");
  EXPECT_FALSE(warned.body["spec"].contains("foo"));
  Reply invalid = post(kQueues, queue("p", {{"visibilityTimeout", 50000}}));
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.body["reason"], "Invalid");
  EXPECT_EQ(invalid.body["message"],
            "Queue.sluice.io \"p\" is invalid: spec.visibilityTimeout: Invalid value: 50000: spec.visibilityTimeout in "
            "body should be less than or equal to 43200");
  EXPECT_EQ(invalid.body["details"]["causes"][0]["field"], "spec.visibilityTimeout");
  EXPECT_EQ(invalid.body["details"]["causes"][0]["reason"], "FieldValueInvalid");
  Reply bad_name = post(kQueues, queue("Bad_Name"));
  EXPECT_EQ(bad_name.status, 422);
}

TEST_F(ApiTest, StatusSubresourceAndGeneration) {
  install_queue_crd();
  Json q = queue("orders");
  q["status"] = {{"queueURL", "dropped on create"}};
  ASSERT_EQ(post(kQueues, q).status, 201);
  std::string url = std::string(kQueues) + "/orders";
  EXPECT_FALSE(get(url).body.contains("status"));
  Reply labels = patch(url, {{"metadata", {{"labels", {{"a", "b"}}}}}});
  EXPECT_EQ(labels.body["metadata"]["generation"], 1);
  Reply spec = patch(url, {{"spec", {{"visibilityTimeout", 60}}}, {"status", {{"queueURL", "ignored"}}}});
  EXPECT_EQ(spec.body["metadata"]["generation"], 2);
  EXPECT_FALSE(spec.body.contains("status"));
  Reply status = patch(url + "/status", {{"spec", {{"visibilityTimeout", 1}}}, {"status", {{"queueURL", "http://q"}}}});
  ASSERT_EQ(status.status, 200) << status.body.dump();
  EXPECT_EQ(status.body["status"]["queueURL"], "http://q");
  EXPECT_EQ(status.body["spec"]["visibilityTimeout"], 60);
  EXPECT_EQ(status.body["metadata"]["generation"], 2);
  // A no-op write keeps the resourceVersion.
  Reply same = patch(url, {{"spec", {{"visibilityTimeout", 60}}}});
  EXPECT_EQ(same.body["metadata"]["resourceVersion"], status.body["metadata"]["resourceVersion"]);
  // PUT with a stale resourceVersion conflicts.
  Json stale = spec.body;
  stale["spec"]["visibilityTimeout"] = 70;
  Reply conflict = put(url, stale);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.body["reason"], "Conflict");
  Json fresh = get(url).body;
  fresh["spec"]["visibilityTimeout"] = 70;
  EXPECT_EQ(put(url, fresh).status, 200);
  // Transition rule: queueName is immutable.
  Reply renamed = patch(url, {{"spec", {{"queueName", "other"}}}});
  EXPECT_EQ(renamed.status, 422);
  EXPECT_NE(renamed.body["message"].get<std::string>().find("queueName is immutable"), std::string::npos);
}

TEST_F(ApiTest, PatchTypesAndUnsupportedMediaTypes) {
  install_queue_crd();
  ASSERT_EQ(post(kQueues, queue("orders")).status, 201);
  std::string url = std::string(kQueues) + "/orders";
  Reply jp = call("PATCH", url, R"([{"op":"replace","path":"/spec/visibilityTimeout","value":5}])",
                  "application/json-patch+json");
  EXPECT_EQ(jp.body["spec"]["visibilityTimeout"], 5);
  Reply smp = call("PATCH", url, R"({"spec":{}})", "application/strategic-merge-patch+json");
  EXPECT_EQ(smp.status, 415);
  Reply list_body = call("PATCH", url, R"([{"a":1}])", "application/merge-patch+json");
  EXPECT_EQ(list_body.status, 400);
  Reply yaml = call("PATCH", url, "spec: {}", "application/yaml");
  EXPECT_EQ(yaml.status, 415);
  Reply proto = call("POST", "/apis/apps/v1/namespaces/default/deployments", std::string("k8s\0", 4),
                     "application/vnd.kubernetes.protobuf");
  EXPECT_EQ(proto.status, 415);
  Reply ssa_no_manager = call("PATCH", url, queue("orders").dump(), "application/apply-patch+yaml");
  EXPECT_EQ(ssa_no_manager.status, 422);
  Reply ssa_create = call("PATCH", std::string(kQueues) + "/fresh?fieldManager=test", queue("fresh").dump(),
                          "application/apply-patch+yaml");
  EXPECT_EQ(ssa_create.status, 201) << ssa_create.body.dump();
  EXPECT_EQ(call("PUT", "/version", "{}").status, 405);
  EXPECT_EQ(call("DELETE", url, R"({"propagationPolicy":"Foreground"})").status, 501);
}

TEST_F(ApiTest, FinalizersGateDeletion) {
  install_queue_crd();
  Json q = queue("orders");
  q["metadata"]["finalizers"] = {"sluice.io/cleanup"};
  ASSERT_EQ(post(kQueues, q).status, 201);
  std::string url = std::string(kQueues) + "/orders";
  Reply del = call("DELETE", url, R"({"propagationPolicy":"Background"})");
  ASSERT_EQ(del.status, 200);
  EXPECT_TRUE(del.body["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(get(url).status, 200);
  Reply more = patch(url, {{"metadata", {{"finalizers", {"sluice.io/cleanup", "x.io/late"}}}}});
  EXPECT_EQ(more.status, 422);
  std::string rv = get(url).body["metadata"]["resourceVersion"];
  auto events = watch(
      std::string(kQueues) + "?watch=true&resourceVersion=" + rv,
      [&] {
        EXPECT_EQ(patch(url, {{"metadata", {{"finalizers", nullptr}}}}).status, 200);
      },
      [](const std::vector<Json>& e) { return !e.empty(); });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "DELETED");
  EXPECT_EQ(get(url).status, 404);
}

TEST_F(ApiTest, PreconditionsOnDelete) {
  install_queue_crd();
  ASSERT_EQ(post(kQueues, queue("orders")).status, 201);
  Reply r = call("DELETE", std::string(kQueues) + "/orders", R"({"preconditions":{"uid":"not-it"}})");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body["message"].get<std::string>().find("Precondition failed: UID in precondition: not-it"),
            std::string::npos);
}

TEST_F(ApiTest, NamespaceTerminatesOnceFinalizersAreGone) {
  install_queue_crd();
  ASSERT_EQ(
      post("/api/v1/namespaces", Json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "team"}}}})
          .status,
      201);
  std::string queues = "/apis/sluice.io/v1alpha1/namespaces/team/queues";
  Json held = queue("held");
  held["metadata"]["finalizers"] = {"sluice.io/cleanup"};
  ASSERT_EQ(post(queues, held).status, 201);
  ASSERT_EQ(post(queues, queue("plain")).status, 201);
  ASSERT_EQ(post("/api/v1/namespaces/team/configmaps",
                 Json{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}}})
                .status,
            201);
  ASSERT_EQ(call("DELETE", "/api/v1/namespaces/team").status, 200);
  Json ns = get("/api/v1/namespaces/team").body;
  EXPECT_EQ(ns["status"]["phase"], "Terminating");
  std::string conditions = ns["status"]["conditions"].dump();
  EXPECT_NE(conditions.find("sluice.io/cleanup in 1 resource instances"), std::string::npos) << conditions;
  EXPECT_EQ(get(queues + "/plain").status, 404);
  EXPECT_EQ(get("/api/v1/namespaces/team/configmaps/c").status, 404);
  EXPECT_EQ(post(queues, queue("late")).status, 403);
  EXPECT_EQ(patch(queues + "/held", {{"metadata", {{"finalizers", Json::array()}}}}).status, 200);
  EXPECT_EQ(get("/api/v1/namespaces/team").status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/namespaces/default").status, 403);
}

TEST_F(ApiTest, WatchFromResourceVersionSelectorsAndExpiry) {
  install_queue_crd();
  ASSERT_EQ(post(kQueues, queue("a")).status, 201);
  std::string rv = get(kQueues).body["metadata"]["resourceVersion"];
  // From 0: synthetic ADDED, then live events; watch=True parses like Go's ParseBool.
  auto initial = watch(
      std::string(kQueues) + "?watch=True&resourceVersion=0", [&] { post(kQueues, queue("b")); },
      [](const std::vector<Json>& e) { return e.size() >= 2; });
  ASSERT_EQ(initial.size(), 2u);
  EXPECT_EQ(initial[0]["type"], "ADDED");
  EXPECT_EQ(initial[0]["object"]["metadata"]["name"], "a");
  EXPECT_EQ(initial[1]["object"]["metadata"]["name"], "b");
  // From N: only later events; label selector transitions become ADDED/DELETED.
  auto selected = watch(
      std::string(kQueues) + "?watch=1&labelSelector=tier%3Dgold&resourceVersion=" + rv,
      [&] {
        patch(std::string(kQueues) + "/a", {{"metadata", {{"labels", {{"tier", "gold"}}}}}});
        patch(std::string(kQueues) + "/a", {{"metadata", {{"labels", {{"tier", "tin"}}}}}});
      },
      [](const std::vector<Json>& e) { return e.size() >= 2; });
  ASSERT_EQ(selected.size(), 2u);
  EXPECT_EQ(selected[0]["type"], "ADDED");
  EXPECT_EQ(selected[1]["type"], "DELETED");
  // Compaction: a watch from before it gets 410 Expired; an open watch is ended with 410.
  EXPECT_EQ(call("POST", "/testing/compact").status, 200);
  auto expired = watch(
      std::string(kQueues) + "?watch=true&resourceVersion=" + rv, [] {},
      [](const std::vector<Json>& e) { return !e.empty(); });
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0]["type"], "ERROR");
  EXPECT_EQ(expired[0]["object"]["code"], 410);
  EXPECT_EQ(expired[0]["object"]["reason"], "Expired");
  std::string now_rv = get(kQueues).body["metadata"]["resourceVersion"];
  auto ended = watch(
      std::string(kQueues) + "?watch=true&resourceVersion=" + now_rv, [&] { call("POST", "/testing/compact"); },
      [](const std::vector<Json>& e) { return !e.empty(); });
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0]["object"]["code"], 410);
  EXPECT_EQ(get(std::string(kQueues) + "?watch=maybe").status, 400);
  EXPECT_EQ(get(std::string(kQueues) + "?fieldSelector=spec.queueName%3Da").status, 400);
}

TEST_F(ApiTest, TablesForCrdsAndBuiltins) {
  install_queue_crd();
  ASSERT_EQ(post(kQueues, queue("orders")).status, 201);
  Reply t = call("GET", std::string(kQueues) + "?limit=500", "", "",
                 "application/json;as=Table;v=v1;g=meta.k8s.io,application/"
                 "json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
  EXPECT_EQ(t.body["kind"], "Table");
  EXPECT_EQ(t.body["columnDefinitions"][1]["name"], "Ready");
  EXPECT_EQ(t.body["rows"][0]["object"]["metadata"]["name"], "orders");
  Reply proto_only = call("GET", kQueues, "", "", "application/vnd.kubernetes.protobuf");
  EXPECT_EQ(proto_only.status, 406);
}

TEST_F(ApiTest, ScaleSubresourceAndFakeDeploymentStatus) {
  Json d = Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"},
      "spec":{"replicas":2,"selector":{"matchLabels":{"app":"w"}},
              "template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})");
  std::string deploys = "/apis/apps/v1/namespaces/default/deployments";
  std::string rv = get(deploys).body["metadata"]["resourceVersion"];
  auto events = watch(
      deploys + "?watch=true&resourceVersion=" + rv, [&] { ASSERT_EQ(post(deploys, d).status, 201); },
      [](const std::vector<Json>& e) { return e.size() >= 2; });
  ASSERT_GE(events.size(), 2u);
  const Json& status = events[1]["object"]["status"];
  EXPECT_EQ(status["observedGeneration"], 1);
  EXPECT_EQ(status["readyReplicas"], 2);
  EXPECT_EQ(status["conditions"][0]["type"], "Available");
  Reply scale = get(deploys + "/w/scale");
  EXPECT_EQ(scale.body["kind"], "Scale");
  EXPECT_EQ(scale.body["spec"]["replicas"], 2);
  EXPECT_EQ(scale.body["status"]["selector"], "app=w");
  Reply patched = patch(deploys + "/w/scale", {{"spec", {{"replicas", 3}}}});
  EXPECT_EQ(patched.body["spec"]["replicas"], 3);
  Json s = get(deploys + "/w/scale").body;
  s["spec"]["replicas"] = 4;
  EXPECT_EQ(call("PUT", deploys + "/w/scale", s.dump(), "").status, 200);  // kubectl sends no Content-Type here
  EXPECT_EQ(get(deploys + "/w").body["spec"]["replicas"], 4);
  EXPECT_EQ(get(deploys + "/w").body["metadata"]["generation"], 3);
  s["spec"]["replicas"] = 5;
  EXPECT_EQ(call("PUT", deploys + "/w/scale", s.dump()).status, 409);  // stale resourceVersion
  Json bad = d;
  bad["metadata"]["name"] = "bad";
  bad["spec"]["template"]["metadata"]["labels"]["app"] = "other";
  EXPECT_EQ(post(deploys, bad).status, 422);
}

TEST_F(ApiTest, OwnerReferencesAreCollected) {
  Json owner = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "owner"}}}};
  Reply o = post("/api/v1/namespaces/default/configmaps", owner);
  Json child = {
      {"apiVersion", "v1"},
      {"kind", "ConfigMap"},
      {"metadata",
       {{"name", "child"},
        {"ownerReferences",
         {{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "owner"}, {"uid", o.body["metadata"]["uid"]}}}}}}};
  ASSERT_EQ(post("/api/v1/namespaces/default/configmaps", child).status, 201);
  ASSERT_EQ(call("DELETE", "/api/v1/namespaces/default/configmaps/owner").status, 200);
  EXPECT_EQ(get("/api/v1/namespaces/default/configmaps/child").status, 404);
}

TEST_F(ApiTest, RequestsAreRecordedPerUser) {
  ASSERT_EQ(call("GET", "/api/v1/namespaces/default/configmaps", "", "", "", "operator-token").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/namespaces", "", "", "", "wrong").status, 401);
  Json recorded = get("/testing/requests?user=operator").body["items"];
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0]["verb"], "list");
  EXPECT_EQ(recorded[0]["resource"], "configmaps");
  EXPECT_EQ(recorded[0]["namespace"], "default");
  EXPECT_EQ(call("GET", "/version", "", "", "", "").status, 200);
  EXPECT_EQ(get("/testing/requests?user=system:anonymous").body["items"].size(), 1u);
}

TEST_F(ApiTest, SecretsConvertStringData) {
  Json s = {{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", "s"}}}, {"stringData", {{"k", "v"}}}};
  Reply r = post("/api/v1/namespaces/default/secrets", s);
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.body["data"]["k"], "dg==");
  EXPECT_EQ(r.body["type"], "Opaque");
  EXPECT_FALSE(r.body.contains("stringData"));
}

TEST_F(ApiTest, UnsupportedCelRuleIsRefusedAtRegistration) {
  Json crd = Json::parse(testdata("queue-crd.yaml"));
  crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["x-kubernetes-validations"].push_back(
      {{"rule", "self.tags.all(k, k != '')"}});
  Reply r = post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body["message"].get<std::string>().find("not supported by the Sluice test API server"), std::string::npos)
      << r.body["message"];
}

TEST_F(ApiTest, DeletingACrdRemovesItsResourcesAndKind) {
  install_queue_crd();
  ASSERT_EQ(post(kQueues, queue("orders")).status, 201);
  ASSERT_EQ(call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/queues.sluice.io").status, 200);
  EXPECT_EQ(get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/queues.sluice.io").status, 404);
  EXPECT_EQ(get(kQueues).status, 404);
}

TEST_F(ApiTest, DryRunDeleteCollectionAndFinalize) {
  install_queue_crd();
  Reply dry = call("POST", std::string(kQueues) + "?dryRun=All", queue("ghost").dump());
  EXPECT_EQ(dry.status, 201);
  EXPECT_EQ(get(std::string(kQueues) + "/ghost").status, 404);
  Json labelled = queue("a");
  labelled["metadata"]["labels"] = {{"batch", "1"}};
  ASSERT_EQ(post(kQueues, labelled).status, 201);
  ASSERT_EQ(post(kQueues, queue("b")).status, 201);
  Reply gone = call("DELETE", std::string(kQueues) + "?labelSelector=batch%3D1");
  EXPECT_EQ(gone.status, 200);
  EXPECT_EQ(gone.body["items"].size(), 1u);
  EXPECT_EQ(get(kQueues).body["items"].size(), 1u);
  Reply meta = call("GET", kQueues, "", "", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io");
  EXPECT_EQ(meta.body["kind"], "PartialObjectMetadataList");
  EXPECT_FALSE(meta.body["items"][0].contains("spec"));

  // A namespace whose spec.finalizers someone added stays Terminating until /finalize clears them.
  Json ns = {{"apiVersion", "v1"},
             {"kind", "Namespace"},
             {"metadata", {{"name", "stuck"}}},
             {"spec", {{"finalizers", {"kubernetes", "example.com/hold"}}}}};
  ASSERT_EQ(post("/api/v1/namespaces", ns).status, 201);
  ASSERT_EQ(call("DELETE", "/api/v1/namespaces/stuck").status, 200);
  Json terminating = get("/api/v1/namespaces/stuck").body;
  EXPECT_EQ(terminating["spec"]["finalizers"], Json::parse(R"(["example.com/hold"])"));
  terminating["spec"]["finalizers"] = Json::array();
  EXPECT_EQ(put("/api/v1/namespaces/stuck/finalize", terminating).status, 200);
  EXPECT_EQ(get("/api/v1/namespaces/stuck").status, 404);
}

TEST_F(ApiTest, WatchingANamedObjectSeesOnlyIt) {
  install_queue_crd();
  ASSERT_EQ(post(kQueues, queue("a")).status, 201);
  std::string rv = get(kQueues).body["metadata"]["resourceVersion"];
  auto events = watch(
      std::string(kQueues) + "/a?watch=true&resourceVersion=" + rv,
      [&] {
        post(kQueues, queue("b"));
        patch(std::string(kQueues) + "/a", {{"metadata", {{"labels", {{"x", "y"}}}}}});
      },
      [](const std::vector<Json>& e) { return !e.empty(); });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["object"]["metadata"]["name"], "a");
}

}  // namespace
}  // namespace sluice::test_apiserver
