#include "operator/runtime/runtime_client.h"

#include <gtest/gtest.h>

namespace sluice::runtime_client {
namespace {

std::string placed(const RuntimeSet& set, const std::string& key) { return set.place(key, "")->name; }

TEST(Placement, IsStableAndSpreadsKeys) {
  RuntimeSet three({"http://r0", "http://r1", "http://r2"});
  std::map<std::string, int> per_runtime;
  for (int i = 0; i < 3000; ++i) {
    std::string key = "ns/q" + std::to_string(i);
    EXPECT_EQ(placed(three, key), placed(three, key));
    ++per_runtime[placed(three, key)];
  }
  for (const auto& [name, n] : per_runtime) EXPECT_NEAR(n, 1000, 150) << name;
}

TEST(Placement, AddingARuntimeMovesOnlyItsShare) {
  RuntimeSet three({"http://r0", "http://r1", "http://r2"});
  RuntimeSet four({"http://r0", "http://r1", "http://r2", "http://r3"});
  int moved = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string key = "ns/q" + std::to_string(i);
    std::string before = placed(three, key), after = placed(four, key);
    if (before != after) {
      ++moved;
      EXPECT_EQ(after, "http://r3");  // keys only move to the new runtime
    }
  }
  EXPECT_NEAR(moved, 1000, 150);
}

TEST(Placement, AResourceStaysWhereItsDataIs) {
  RuntimeSet set({"http://r0", "http://r1"});
  EXPECT_EQ(set.place("ns/q", "http://r1")->name, "http://r1");
  EXPECT_EQ(set.place("ns/q", "http://r0")->name, "http://r0");
  // A runtime that no longer exists: placed again by hash.
  EXPECT_TRUE(set.place("ns/q", "http://gone"));
  RuntimeSet none(std::vector<std::string>{});
  EXPECT_FALSE(none.place("ns/q", ""));
}

}  // namespace
}  // namespace sluice::runtime_client
