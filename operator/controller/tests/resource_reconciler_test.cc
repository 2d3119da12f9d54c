// The one reconciler shape, against the Kubernetes API test server in this
// process with a real KubeClient and Informer, filled by a toy adapter: the
// finalizer goes on first, an invalid spec is InvalidSpec, status carries Ready
// with observedGeneration and is written only when it changes, Events mark the
// transitions, and a deletion runs the adapter's cleanup before the object goes.

#include "operator/controller/resource_reconciler.h"

#include <gtest/gtest.h>

#include <thread>

#include "operator/controller/object_meta.h"
#include "tests/k8s/apiserver/test_apiserver.h"
#include "tools/crdgen/crd_writer.h"

namespace sluice::controller {
namespace {

resource::KindDef toy_kind() {
  using resource::Field;
  resource::KindDef k;
  k.kind = "Widget";
  k.plural = "widgets";
  k.singular = "widget";
  k.description = "A toy kind for the reconciler's test.";
  k.hosted = false;
  k.spec = {Field{"size", Field::Type::integer, "How big.", 1, 10}};
  k.status = {Field{"built", Field::Type::integer, "How many times it was built."}};
  return k;
}

class ToyAdapter final : public KindAdapter {
 public:
  explicit ToyAdapter(const resource::KindDef& kind) : kind_(kind) {}
  const resource::KindDef& kind() const override { return kind_; }
  std::string finalizer() const override { return "sluice.io/widget-cleanup"; }
  Outcome apply(const json& object, json& status) override {
    ++applied;
    status["built"] = object["spec"].value("size", 0);
    if (object["spec"].value("size", 0) == 7)
      return Outcome::not_ready("Unlucky", "Seven is refused.", ReconcileResult::done());
    return Outcome::ready("Built", "The widget is built.");
  }
  Outcome finalize(const json&) override {
    ++finalized;
    if (hold) return Outcome::not_ready("Busy", "", ReconcileResult::failed("busy"));
    return Outcome::ready("Dismantled", "The widget is gone.");
  }
  const resource::KindDef& kind_;
  int applied = 0, finalized = 0;
  bool hold = false;
};

class ResourceReconcilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kube::KubeConfig config;
    config.server = server.url();
    client = std::make_unique<kube::KubeClient>(config);
    ASSERT_TRUE(
        client->create("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json::parse(crdgen::crd(kind).dump()))
            .ok());
    auto ns = client->create("/api/v1/namespaces",
                             {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "shop"}}}});
    ASSERT_TRUE(ns.ok() || ns.conflict()) << ns.describe();
    informer = std::make_unique<Informer>(*client, resource_type(kind), InformerOptions{});
    informer->start();
    events = std::make_unique<EventRecorder>(*client, "test");
    reconciler = std::make_unique<ResourceReconciler>(*client, *informer, *events, adapter);
  }
  void TearDown() override { informer->stop(); }

  std::string path(const std::string& name) { return resource_type(kind).object_path("shop", name); }
  json get(const std::string& name) { return client->get(path(name)).body; }
  // Reconciles until the cache has caught up with the server (the informer is asynchronous).
  ReconcileResult reconcile_fresh(const std::string& name) {
    const std::string rv = get(name)["metadata"].value("resourceVersion", "");
    for (int i = 0; i < 200; ++i) {
      auto cached = informer->get("shop/" + name);
      if (cached && (*cached)["metadata"].value("resourceVersion", "") == rv) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return reconciler->reconcile("shop/" + name);
  }
  std::vector<std::string> event_reasons() {
    std::vector<std::string> out;
    for (const auto& e : client->get("/api/v1/namespaces/shop/events").body.value("items", json::array()))
      out.push_back(e.value("reason", ""));
    return out;
  }

  test_apiserver::TestApiServer server;
  resource::KindDef kind = toy_kind();
  ToyAdapter adapter{kind};
  std::unique_ptr<kube::KubeClient> client;
  std::unique_ptr<Informer> informer;
  std::unique_ptr<EventRecorder> events;
  std::unique_ptr<ResourceReconciler> reconciler;
};

TEST_F(ResourceReconcilerTest, TheFinalizerFirstThenStatusWithReady) {
  ASSERT_TRUE(
      client
          ->create(resource_type(kind).collection_path("shop"), {{"apiVersion", "sluice.io/v1alpha1"},
                                                                 {"kind", "Widget"},
                                                                 {"metadata", {{"name", "w"}, {"namespace", "shop"}}},
                                                                 {"spec", {{"size", 3}}}})
          .ok());
  reconcile_fresh("w");
  EXPECT_TRUE(has_finalizer(get("w"), "sluice.io/widget-cleanup"));
  EXPECT_EQ(adapter.applied, 0) << "nothing is applied before the finalizer is in place";
  reconcile_fresh("w");
  json w = get("w");
  EXPECT_EQ(w["status"]["built"], 3);
  EXPECT_EQ(w["status"]["observedGeneration"], generation_of(w));
  const json* ready = find_condition(w["status"], "Ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ((*ready)["status"], "True");
  EXPECT_EQ((*ready)["reason"], "Built");
  EXPECT_EQ((*ready)["observedGeneration"], generation_of(w));
  const std::string rv = w["metadata"]["resourceVersion"];
  reconcile_fresh("w");
  EXPECT_EQ(get("w")["metadata"]["resourceVersion"], rv) << "an unchanged status is not written again";
  EXPECT_EQ(event_reasons(), std::vector<std::string>{"Ready"});
}

TEST_F(ResourceReconcilerTest, AnInvalidSpecIsReportedNotApplied) {
  ASSERT_TRUE(
      client
          ->create(resource_type(kind).collection_path("shop"),
                   {{"apiVersion", "sluice.io/v1alpha1"},
                    {"kind", "Widget"},
                    {"metadata", {{"name", "w"}, {"namespace", "shop"}, {"finalizers", {"sluice.io/widget-cleanup"}}}},
                    {"spec", {{"size", 7}}}})
          .ok());
  reconcile_fresh("w");
  const json w = get("w");
  const json* ready = find_condition(w["status"], "Ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ((*ready)["status"], "False");
  EXPECT_EQ((*ready)["reason"], "Unlucky");
  // The API server refuses what the kind's schema refuses; the reconciler would too.
  auto too_big = client->patch(path("w"), {{"spec", {{"size", 11}}}});
  EXPECT_EQ(too_big.status, 422) << too_big.describe();
  EXPECT_EQ(event_reasons(), std::vector<std::string>{"Unlucky"});
}

TEST_F(ResourceReconcilerTest, DeletionRunsTheCleanupThenReleases) {
  ASSERT_TRUE(
      client
          ->create(resource_type(kind).collection_path("shop"),
                   {{"apiVersion", "sluice.io/v1alpha1"},
                    {"kind", "Widget"},
                    {"metadata", {{"name", "w"}, {"namespace", "shop"}, {"finalizers", {"sluice.io/widget-cleanup"}}}},
                    {"spec", {{"size", 2}}}})
          .ok());
  reconcile_fresh("w");
  ASSERT_TRUE(client->remove(path("w")).ok());
  adapter.hold = true;
  EXPECT_TRUE(reconcile_fresh("w").error) << "a cleanup that is not done yet is retried";
  EXPECT_EQ(client->get(path("w")).status, 200) << "and the object stays";
  adapter.hold = false;
  reconcile_fresh("w");
  EXPECT_EQ(client->get(path("w")).status, 404);
  EXPECT_EQ(adapter.finalized, 2);
}

}  // namespace
}  // namespace sluice::controller
