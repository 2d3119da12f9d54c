// Server-side printing: ages, printer columns, JSONPath, the Table shape.
#include <gtest/gtest.h>

#include "tests/k8s/apiserver/crd.h"
#include "tests/k8s/apiserver/jsonpath.h"
#include "tests/k8s/apiserver/table.h"

namespace sluice::test_apiserver {
namespace {

using std::chrono::seconds;

TEST(HumanDuration, MatchesApimachinery) {
  EXPECT_EQ(human_duration(seconds(-5)), "<invalid>");
  EXPECT_EQ(human_duration(seconds(-1)), "0s");
  EXPECT_EQ(human_duration(seconds(45)), "45s");
  EXPECT_EQ(human_duration(seconds(119)), "119s");
  EXPECT_EQ(human_duration(seconds(300)), "5m");
  EXPECT_EQ(human_duration(seconds(200)), "3m20s");
  EXPECT_EQ(human_duration(seconds(3600)), "60m");
  EXPECT_EQ(human_duration(seconds(4 * 3600 + 60 * 5)), "4h5m");
  EXPECT_EQ(human_duration(seconds(30 * 3600)), "30h");
  EXPECT_EQ(human_duration(seconds(2 * 86400)), "2d");
  EXPECT_EQ(human_duration(seconds(3 * 86400 + 7200)), "3d2h");
  EXPECT_EQ(human_duration(seconds(100 * 86400)), "100d");
  EXPECT_EQ(human_duration(seconds((365 * 3 + 12) * 86400L)), "3y12d");
  EXPECT_EQ(human_duration(seconds(365 * 10 * 86400L)), "10y");
}

TEST(JsonPath, SubsetAndRefusals) {
  Json obj =
      Json::parse(R"({"status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True"}]},
                             "metadata":{"labels":{"app.kubernetes.io/name":"x"}},"spec":{"l":[1,2,3]}})");
  auto ready = JsonPath::parse(R"(.status.conditions[?(@.type=="Ready")].status)");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(*ready->first(obj), "True");
  auto label = JsonPath::parse(R"({.metadata.labels.app\.kubernetes\.io/name})");
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(*label->first(obj), "x");
  auto bracket = JsonPath::parse(R"(.metadata.labels['app.kubernetes.io/name'])");
  ASSERT_TRUE(bracket.ok());
  EXPECT_EQ(*bracket->first(obj), "x");
  auto last = JsonPath::parse(".spec.l[-1]");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last->first(obj), 3);
  auto all = JsonPath::parse(".spec.l[*]");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->find(obj).size(), 3u);
  EXPECT_TRUE(JsonPath::parse(".spec.replicas")->simple());
  EXPECT_FALSE(JsonPath::parse(".spec.l[0]")->simple());
  EXPECT_FALSE(JsonPath::parse("..spec").ok());
  EXPECT_FALSE(JsonPath::parse(".spec.l[0:2]").ok());
  EXPECT_FALSE(JsonPath::parse("spec").ok());
  EXPECT_FALSE(JsonPath::parse(".a[?(@.x>1)]").ok());
}

ResourceType queue_type() {
  Json crd = Json::parse(R"({"metadata":{"name":"queues.sluice.io"},"spec":{"group":"sluice.io","scope":"Namespaced",
      "names":{"plural":"queues","kind":"Queue"},
      "versions":[{"name":"v1alpha1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}},
        "additionalPrinterColumns":[
          {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"},
          {"name":"Visibility","type":"integer","jsonPath":".spec.visibilityTimeout"},
          {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]}]}})");
  return (*crd_resource_types(crd))[0];
}

TEST(Table, CrdColumnsAndPartialObjectMetadata) {
  Clock::time_point created;
  ASSERT_TRUE(parse_rfc3339("2026-01-01T00:00:00Z", created));
  Json q = Json::parse(R"({"apiVersion":"sluice.io/v1alpha1","kind":"Queue",
      "metadata":{"name":"orders","namespace":"default","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"a":"b"}},
      "spec":{"visibilityTimeout":60},"status":{"conditions":[{"type":"Ready","status":"True"}]}})");
  Json t = make_table(queue_type(), {q}, "42", "Metadata", created + std::chrono::minutes(5));
  EXPECT_EQ(t["kind"], "Table");
  EXPECT_EQ(t["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(t["metadata"]["resourceVersion"], "42");
  ASSERT_EQ(t["columnDefinitions"].size(), 4u);
  EXPECT_EQ(t["columnDefinitions"][0]["name"], "Name");
  EXPECT_EQ(t["columnDefinitions"][3]["type"], "date");
  EXPECT_EQ(t["rows"][0]["cells"], Json::parse(R"(["orders","True",60,"5m"])"));
  EXPECT_EQ(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(t["rows"][0]["object"]["metadata"]["namespace"], "default");
  Json missing = q;
  missing.erase("status");
  EXPECT_TRUE(table_cells(queue_type(), missing, created)[1].is_null());
  EXPECT_FALSE(make_table(queue_type(), {q}, "1", "None", created)["rows"][0].contains("object"));
  EXPECT_EQ(make_table(queue_type(), {q}, "1", "Object", created)["rows"][0]["object"]["spec"]["visibilityTimeout"],
            60);
}

TEST(Table, BuiltinDeploymentColumns) {
  const ResourceType* deploy = nullptr;
  for (const auto& t : builtin_kinds()) {
    if (t.kind == "Deployment") deploy = &t;
  }
  ASSERT_NE(deploy, nullptr);
  Clock::time_point created;
  ASSERT_TRUE(parse_rfc3339("2026-01-01T00:00:00Z", created));
  Json d = Json::parse(R"({"metadata":{"name":"w","creationTimestamp":"2026-01-01T00:00:00Z"},
                           "spec":{"replicas":3},"status":{"readyReplicas":2,"updatedReplicas":3}})");
  Json t = make_table(*deploy, {d}, "1", "Metadata", created + std::chrono::hours(49));
  std::vector<std::string> names;
  for (const auto& c : t["columnDefinitions"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Ready", "Up-to-date", "Available", "Age"}));
  EXPECT_EQ(t["rows"][0]["cells"], Json::parse(R"(["w","2/3",3,0,"2d1h"])"));
}

}  // namespace
}  // namespace sluice::test_apiserver
