// The patch engines: JSON merge patch, JSON patch, strategic merge patch, server-side apply.
#include <gtest/gtest.h>

#include "tests/k8s/apiserver/apply.h"
#include "tests/k8s/apiserver/kinds.h"
#include "tests/k8s/apiserver/patch.h"

namespace sluice::test_apiserver {
namespace {

Json J(const char* text) { return Json::parse(text); }

const ResourceType& deployment() {
  for (const auto& t : builtin_kinds()) {
    if (t.kind == "Deployment") return t;
  }
  throw std::logic_error("no Deployment row");
}

TEST(MergePatch, MergesObjectsDeletesNullsReplacesLists) {
  auto r = merge_patch(J(R"({"a":1,"b":{"c":2,"d":3},"l":[1,2]})"), J(R"({"b":{"c":null,"e":4},"l":[3],"n":"x"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, J(R"({"a":1,"b":{"d":3,"e":4},"l":[3],"n":"x"})"));
}

TEST(MergePatch, NonObjectPatchIsABadRequest) {
  auto r = merge_patch(J(R"({"a":1})"), J(R"([1,2])"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().bad_request);
}

TEST(JsonPatch, AddRemoveReplaceMoveCopyTest) {
  Json doc = J(R"({"a":{"b":[1,2]},"c":"x"})");
  auto r = json_patch(doc, J(R"([
    {"op":"add","path":"/a/b/1","value":9},
    {"op":"add","path":"/a/b/-","value":3},
    {"op":"replace","path":"/c","value":"y"},
    {"op":"copy","from":"/c","path":"/d"},
    {"op":"move","from":"/d","path":"/e~1f"},
    {"op":"remove","path":"/a/b/0"},
    {"op":"test","path":"/e~1f","value":"y"}])"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, J(R"({"a":{"b":[9,2,3]},"c":"y","e/f":"y"})"));
}

TEST(JsonPatch, FailuresAreUnprocessableAndMalformedIsBadRequest) {
  auto missing = json_patch(J(R"({"a":1})"), J(R"([{"op":"replace","path":"/b","value":2}])"));
  ASSERT_FALSE(missing.ok());
  EXPECT_FALSE(missing.error().bad_request);
  auto failed_test = json_patch(J(R"({"a":1})"), J(R"([{"op":"test","path":"/a","value":2}])"));
  ASSERT_FALSE(failed_test.ok());
  EXPECT_NE(failed_test.error().message.find("testing value /a failed"), std::string::npos);
  auto bad = json_patch(J(R"({"a":1})"), J(R"({"op":"add"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().bad_request);
  auto unknown = json_patch(J(R"({"a":1})"), J(R"([{"op":"frobnicate","path":"/a"}])"));
  ASSERT_FALSE(unknown.ok());
}

class StrategicMergePatch : public ::testing::Test {
 protected:
  Json apply(const Json& target, const Json& patch) {
    auto r = strategic_merge_patch(target, patch, builtin_strategies(deployment()));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : Json();
  }
  Json deploy = J(R"({"metadata":{"finalizers":["a"]},"spec":{"template":{"spec":{
      "containers":[{"name":"app","image":"x:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                     "ports":[{"containerPort":80},{"containerPort":81}],
                     "volumeMounts":[{"mountPath":"/data","name":"d"}]},
                    {"name":"side","image":"s:1"}],
      "volumes":[{"name":"d","emptyDir":{}}],
      "tolerations":[{"key":"k1"}]}}}})");
};

TEST_F(StrategicMergePatch, MergesContainersAndEnvByName) {
  Json out = apply(
      deploy,
      J(R"({"spec":{"template":{"spec":{"containers":[{"name":"app","image":"x:2","env":[{"name":"C","value":"3"}]}]}}}})"));
  const Json& c = out["spec"]["template"]["spec"]["containers"];
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0]["image"], "x:2");
  EXPECT_EQ(c[0]["env"].size(), 3u);
  EXPECT_EQ(c[1]["name"], "side");
}

TEST_F(StrategicMergePatch, PortsByContainerPortMountsByMountPathAtomicTolerations) {
  Json out = apply(deploy, J(R"({"spec":{"template":{"spec":{
      "containers":[{"name":"app","ports":[{"containerPort":81,"name":"metrics"}],
                     "volumeMounts":[{"mountPath":"/data","readOnly":true}]}],
      "tolerations":[{"key":"k2"}]}}}})"));
  const Json& app = out["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(app["ports"].size(), 2u);
  EXPECT_EQ(app["ports"][1]["name"], "metrics");
  EXPECT_EQ(app["volumeMounts"][0]["readOnly"], true);
  EXPECT_EQ(app["volumeMounts"][0]["name"], "d");
  EXPECT_EQ(out["spec"]["template"]["spec"]["tolerations"], J(R"([{"key":"k2"}])"));
}

TEST_F(StrategicMergePatch, DeleteDirectiveRemovesListItemAndMap) {
  Json out = apply(deploy, J(R"({"spec":{"template":{"spec":{"containers":[{"name":"side","$patch":"delete"}],
                                                          "volumes":[{"name":"d","$patch":"delete"}]}}}})"));
  EXPECT_EQ(out["spec"]["template"]["spec"]["containers"].size(), 1u);
  EXPECT_EQ(out["spec"]["template"]["spec"]["volumes"].size(), 0u);
  Json gone = apply(deploy, J(R"({"spec":{"template":{"spec":{"$patch":"delete"}}}})"));
  EXPECT_FALSE(gone["spec"]["template"].contains("spec"));
}

TEST_F(StrategicMergePatch, ReplaceDirectiveOnListAndMap) {
  Json out =
      apply(deploy,
            J(R"({"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"o:1"}]}}}})"));
  EXPECT_EQ(out["spec"]["template"]["spec"]["containers"], J(R"([{"name":"only","image":"o:1"}])"));
  Json map = apply(deploy, J(R"({"spec":{"template":{"spec":{"$patch":"replace","volumes":[]}}}})"));
  EXPECT_EQ(map["spec"]["template"]["spec"], J(R"({"volumes":[]})"));
}

TEST_F(StrategicMergePatch, SetElementOrderAsKubectlSendsIt) {
  Json out = apply(deploy, J(R"({"spec":{"template":{"spec":{
      "$setElementOrder/containers":[{"name":"side"},{"name":"app"}],
      "containers":[{"name":"app","$setElementOrder/env":[{"name":"B"},{"name":"A"}]}]}}}})"));
  const Json& c = out["spec"]["template"]["spec"]["containers"];
  EXPECT_EQ(c[0]["name"], "side");
  EXPECT_EQ(c[1]["env"][0]["name"], "B");
  EXPECT_EQ(c[1]["env"][1]["name"], "A");
}

TEST_F(StrategicMergePatch, PrimitiveListFinalizersMergeAndDeleteFromPrimitiveList) {
  Json out = apply(deploy, J(R"({"metadata":{"finalizers":["b","a"]}})"));
  EXPECT_EQ(out["metadata"]["finalizers"], J(R"(["a","b"])"));
  Json removed = apply(out, J(R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})"));
  EXPECT_EQ(removed["metadata"]["finalizers"], J(R"(["b"])"));
}

TEST_F(StrategicMergePatch, RetainKeysClearsUnlistedFields) {
  Json target = J(R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}})");
  Json out = apply(target, J(R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})"));
  EXPECT_EQ(out["spec"]["strategy"], J(R"({"type":"Recreate"})"));
}

TEST_F(StrategicMergePatch, MissingMergeKeyAndUnknownDirectiveFail) {
  auto r = strategic_merge_patch(deploy, J(R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})"),
                                 builtin_strategies(deployment()));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("merge key"), std::string::npos);
  auto d = strategic_merge_patch(deploy, J(R"({"spec":{"$frob":1}})"), builtin_strategies(deployment()));
  ASSERT_FALSE(d.ok());
}

ListSemanticsLookup queue_semantics() {
  return [](const std::string& path) -> ListSemantics {
    if (path == "spec.consumers") return {ListSemantics::Map, {"name"}};
    if (path == "spec.tags") return {ListSemantics::Set, {}};
    return {};
  };
}

TEST(ServerSideApply, CreatesAndRecordsOwnership) {
  Json applied = J(
      R"({"apiVersion":"sluice.io/v1alpha1","kind":"Queue","metadata":{"name":"q"},"spec":{"a":1,"consumers":[{"name":"c1","w":1}]}})");
  ApplyOutcome out = server_side_apply(nullptr, applied, "mgr", false, queue_semantics(), "sluice.io/v1alpha1", "T");
  ASSERT_TRUE(out.conflicts.empty());
  EXPECT_EQ(out.object["spec"]["a"], 1);
  const Json& mf = out.object["metadata"]["managedFields"];
  ASSERT_EQ(mf.size(), 1u);
  EXPECT_EQ(mf[0]["manager"], "mgr");
  EXPECT_EQ(mf[0]["operation"], "Apply");
  EXPECT_TRUE(mf[0]["fieldsV1"]["f:spec"]["f:consumers"].contains(R"(k:{"name":"c1"})"));
}

TEST(ServerSideApply, RemovesFieldsTheManagerStoppedApplying) {
  Json first = J(
      R"({"apiVersion":"v","kind":"K","metadata":{"name":"q","labels":{"x":"1"}},"spec":{"a":1,"b":2,"consumers":[{"name":"c1"},{"name":"c2"}]}})");
  ApplyOutcome one = server_side_apply(nullptr, first, "mgr", false, queue_semantics(), "v", "T");
  one.object["spec"]["other"] = "set by someone else";
  Json second =
      J(R"({"apiVersion":"v","kind":"K","metadata":{"name":"q"},"spec":{"a":1,"consumers":[{"name":"c2"}]}})");
  ApplyOutcome two = server_side_apply(&one.object, second, "mgr", false, queue_semantics(), "v", "T");
  EXPECT_FALSE(two.object["spec"].contains("b"));
  EXPECT_EQ(two.object["spec"]["other"], "set by someone else");
  EXPECT_EQ(two.object["spec"]["consumers"], J(R"([{"name":"c2"}])"));
  EXPECT_FALSE(two.object["metadata"].contains("labels"));
}

TEST(ServerSideApply, ConflictsBetweenAppliersUnlessForced) {
  Json a = J(R"({"apiVersion":"v","kind":"K","metadata":{"name":"q"},"spec":{"replicas":1}})");
  ApplyOutcome one = server_side_apply(nullptr, a, "alice", false, queue_semantics(), "v", "T");
  Json b = J(R"({"apiVersion":"v","kind":"K","metadata":{"name":"q"},"spec":{"replicas":3}})");
  ApplyOutcome clash = server_side_apply(&one.object, b, "bob", false, queue_semantics(), "v", "T");
  ASSERT_EQ(clash.conflicts.size(), 1u);
  EXPECT_EQ(clash.conflicts[0].manager, "alice");
  EXPECT_EQ(clash.conflicts[0].field, ".spec.replicas");
  ApplyOutcome forced = server_side_apply(&one.object, b, "bob", true, queue_semantics(), "v", "T");
  EXPECT_TRUE(forced.conflicts.empty());
  EXPECT_EQ(forced.object["spec"]["replicas"], 3);
  // Same value: shared ownership, no conflict.
  ApplyOutcome same = server_side_apply(&one.object, a, "carol", false, queue_semantics(), "v", "T");
  EXPECT_TRUE(same.conflicts.empty());
}

}  // namespace
}  // namespace sluice::test_apiserver
