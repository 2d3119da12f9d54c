// The Sequencer runs control-plane tasks one at a time, in order, without
// blocking: a task may finish later on another thread, and many tasks that
// finish at once run in constant stack depth.

#include "runtime/common/sequencer.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

namespace sluice {
namespace {

TEST(Sequencer, RunsTasksOneAtATimeInOrder) {
  Sequencer s;
  std::vector<int> order;
  Sequencer::Done held;
  s.submit([&](Sequencer::Done done) {
    order.push_back(1);
    held = std::move(done);  // finishes later
  });
  s.submit([&](Sequencer::Done done) {
    order.push_back(2);
    done();
  });
  EXPECT_EQ(order, std::vector<int>{1});  // the second waits for the first
  EXPECT_EQ(s.pending(), 2u);
  held();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(s.pending(), 0u);
}

TEST(Sequencer, ATaskFinishedOnAnotherThreadStartsTheNextThere) {
  Sequencer s;
  std::thread::id second, worker_id;
  std::thread worker;
  std::promise<void> submitted;  // the worker finishes only once both tasks are in
  s.submit([&](Sequencer::Done done) {
    worker = std::thread([&worker_id, done, go = submitted.get_future()]() mutable {
      go.wait();
      worker_id = std::this_thread::get_id();
      done();
    });
  });
  s.submit([&](Sequencer::Done done) {
    second = std::this_thread::get_id();
    done();
  });
  submitted.set_value();
  worker.join();
  EXPECT_EQ(second, worker_id);
  EXPECT_NE(second, std::this_thread::get_id());
  EXPECT_EQ(s.pending(), 0u);
}

TEST(Sequencer, ManyInlineTasksDoNotRecurse) {
  Sequencer s;
  Sequencer::Done first;
  int ran = 0;
  s.submit([&](Sequencer::Done done) { first = std::move(done); });
  for (int i = 0; i < 200'000; ++i)
    s.submit([&](Sequencer::Done done) {
      ++ran;
      done();
    });
  first();  // 200,000 tasks now finish inline, one after the other
  EXPECT_EQ(ran, 200'000);
}

}  // namespace
}  // namespace sluice
