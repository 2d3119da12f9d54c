#include "operator/controller/object_meta.h"

#include <gtest/gtest.h>

namespace sluice::controller {
namespace {

TEST(Conditions, TransitionTimeChangesOnlyWithTheStatus) {
  json status = json::object();
  EXPECT_TRUE(set_condition(status, "Ready", false, "NoRuntime", "none", 1));
  auto t1 = find_condition(status, "Ready")->value("lastTransitionTime", "");
  EXPECT_FALSE(set_condition(status, "Ready", false, "NoRuntime", "none", 1));  // no change, no write
  EXPECT_TRUE(set_condition(status, "Ready", false, "NoRuntime", "none", 2));   // new generation observed
  EXPECT_EQ(find_condition(status, "Ready")->value("lastTransitionTime", ""), t1);
  EXPECT_TRUE(set_condition(status, "Ready", true, "Reconciled", "ok", 2));
  const json* c = find_condition(status, "Ready");
  EXPECT_EQ(c->value("status", ""), "True");
  EXPECT_EQ(c->value("observedGeneration", 0), 2);
  EXPECT_EQ(status["conditions"].size(), 1u);
}

TEST(ObjectMeta, ReadsFinalizersAndDeletion) {
  json o = {{"metadata", {{"name", "q"}, {"namespace", "shop"}, {"generation", 3}, {"finalizers", {"a", "b"}}}}};
  EXPECT_EQ(name_of(o), "q");
  EXPECT_EQ(namespace_of(o), "shop");
  EXPECT_EQ(generation_of(o), 3);
  EXPECT_TRUE(has_finalizer(o, "b"));
  EXPECT_FALSE(has_finalizer(o, "c"));
  EXPECT_FALSE(being_deleted(o));
  o["metadata"]["deletionTimestamp"] = now_rfc3339();
  EXPECT_TRUE(being_deleted(o));
}

}  // namespace
}  // namespace sluice::controller
