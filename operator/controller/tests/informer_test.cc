#include "operator/controller/informer.h"

#include <gtest/gtest.h>

namespace sluice::controller {
namespace {

json queue(int visibility, const std::string& rv, const json& status) {
  return {{"metadata", {{"name", "orders"}, {"namespace", "shop"}, {"resourceVersion", rv}, {"generation", 1}}},
          {"spec", {{"visibilityTimeout", visibility}}},
          {"status", status}};
}

// The operator's own status writes come back as watch events; if they were
// reported, every status write would trigger another reconcile.
TEST(Informer, StatusOnlyUpdatesAreNotChanges) {
  const json before = queue(30, "10", {{"visible", 1}});
  EXPECT_TRUE(Informer::same_but_status(before, queue(30, "11", {{"visible", 2}})));
  EXPECT_FALSE(Informer::same_but_status(before, queue(60, "11", {{"visible", 1}})));

  json finalizing = before;
  finalizing["metadata"]["deletionTimestamp"] = "2026-11-27T00:00:00Z";
  EXPECT_FALSE(Informer::same_but_status(before, finalizing));
  json labelled = before;
  labelled["metadata"]["labels"] = {{"team", "a"}};
  EXPECT_FALSE(Informer::same_but_status(before, labelled));
}

TEST(Informer, KeysAreNamespaceSlashName) {
  EXPECT_EQ(Informer::key_of(queue(30, "1", json::object())), "shop/orders");
  EXPECT_EQ(Informer::key_of({{"metadata", {{"name", "cluster-wide"}}}}), "cluster-wide");
}

}  // namespace
}  // namespace sluice::controller
