#include "operator/controller/work_queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace sluice::controller {
namespace {

TEST(WorkQueue, AKeyIsQueuedOnceHoweverOftenItIsAdded) {
  WorkQueue q;
  q.add("a");
  q.add("a");
  q.add("b");
  EXPECT_EQ(q.depth(), 2u);
  EXPECT_EQ(q.get(), "a");
  EXPECT_EQ(q.get(), "b");
}

TEST(WorkQueue, AKeyBeingProcessedIsNotHandedOutTwice) {
  WorkQueue q;
  q.add("a");
  auto first = q.get();
  q.add("a");  // changed while a worker reconciles it
  EXPECT_EQ(q.depth(), 0u);
  q.done(*first);
  EXPECT_EQ(q.depth(), 1u);  // processed again, once
  EXPECT_EQ(q.get(), "a");
}

TEST(WorkQueue, DelayedKeysArriveAfterTheirDelay) {
  WorkQueue q;
  auto t0 = std::chrono::steady_clock::now();
  q.add_after("late", std::chrono::milliseconds(50));
  q.add("now");
  EXPECT_EQ(q.get(), "now");
  EXPECT_EQ(q.get(), "late");
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(50));
}

TEST(WorkQueue, FailuresBackOffExponentiallyPerKeyUntilForgotten) {
  WorkQueue q;
  EXPECT_EQ(q.backoff_for(0).count(), 5);
  EXPECT_EQ(q.backoff_for(3).count(), 40);
  EXPECT_EQ(q.backoff_for(40).count(), 300000);
  q.add_rate_limited("k");
  q.add_rate_limited("k");
  EXPECT_EQ(q.failures("k"), 2);
  q.forget("k");
  EXPECT_EQ(q.failures("k"), 0);
}

TEST(WorkQueue, ShutdownReleasesWaitingWorkers) {
  WorkQueue q;
  std::optional<std::string> got = "unset";
  std::thread t([&] { got = q.get(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  q.shutdown();
  t.join();
  EXPECT_FALSE(got);
}

}  // namespace
}  // namespace sluice::controller
