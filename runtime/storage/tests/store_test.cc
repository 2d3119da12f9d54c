// Both Store implementations must behave alike; RocksStore must also keep what it
// acknowledged across a reopen.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <random>
#include <thread>

#include "runtime/storage/memory_store.h"
#include "runtime/storage/rocks_store.h"

namespace sluice::storage {
namespace {

std::string temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("sluice-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

bool commit_sync(Store& s, WriteBatch b, Durability d = Durability::sync) {
  std::promise<bool> p;
  auto f = p.get_future();
  s.commit(std::move(b), d, [&](bool ok) { p.set_value(ok); });
  return f.get();
}

void exercise(Store& s) {
  WriteBatch b;
  b.put("a1", "x");
  b.put("a2", "y");
  b.put("b1", "z");
  ASSERT_TRUE(commit_sync(s, std::move(b)));
  EXPECT_EQ(s.get("a1").value, "x");
  EXPECT_FALSE(s.get("missing").found());

  auto many = s.multi_get({"a2", "nope", "b1"});
  ASSERT_EQ(many.size(), 3u);
  EXPECT_EQ(many[0].value, "y");
  EXPECT_FALSE(many[1].found());
  EXPECT_FALSE(many[1].failed());
  EXPECT_EQ(many[2].value, "z");

  std::vector<std::string> seen;
  s.scan("a", [&](std::string_view k, std::string_view) {
    seen.emplace_back(k);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a1", "a2"}));

  WriteBatch d;
  d.del("a1");
  d.del_range("b", prefix_end("b"));
  ASSERT_TRUE(commit_sync(s, std::move(d)));
  EXPECT_FALSE(s.get("a1").found());
  EXPECT_FALSE(s.get("b1").found());
  EXPECT_EQ(s.get("a2").value, "y");

  // first_key walks a key space one range at a time.
  WriteBatch c;
  c.put("c1", "1");
  c.put("c5", "5");
  ASSERT_TRUE(commit_sync(s, std::move(c)));
  EXPECT_EQ(s.first_key("c", "d").value, "c1");
  EXPECT_EQ(s.first_key("c2", "d").value, "c5");
  EXPECT_FALSE(s.first_key("c6", "d").found());
  EXPECT_FALSE(s.first_key("c2", "c4").found());
  EXPECT_EQ(s.first_key("c2", "").value, "c5");

  // last_key finds a range's newest key; scan_range reads [from, to) in order.
  EXPECT_EQ(s.last_key("c", "d").value, "c5");
  EXPECT_EQ(s.last_key("c", "c5").value, "c1");
  EXPECT_FALSE(s.last_key("c2", "c4").found());
  EXPECT_FALSE(s.last_key("c6", "d").found());
  std::vector<std::string> ranged;
  EXPECT_TRUE(s.scan_range("a", "c5", [&](std::string_view k, std::string_view) {
    ranged.emplace_back(k);
    return true;
  }));
  EXPECT_EQ(ranged, (std::vector<std::string>{"a2", "c1"}));
  ranged.clear();
  s.scan_range("c", "d", [&](std::string_view k, std::string_view) {
    ranged.emplace_back(k);
    return false;  // stops after the first
  });
  EXPECT_EQ(ranged, (std::vector<std::string>{"c1"}));
}

TEST(MemoryStore, BehavesAsAStore) {
  MemoryStore s;
  exercise(s);
}

TEST(RocksStore, BehavesAsAStore) {
  std::string error;
  auto s = RocksStore::open({temp_dir("rocks-basic")}, &error);
  ASSERT_TRUE(s) << error;
  exercise(*s);
}

TEST(RocksStore, KeepsAcknowledgedWritesAcrossReopen) {
  auto dir = temp_dir("rocks-reopen");
  {
    std::string error;
    auto s = RocksStore::open({dir}, &error);
    ASSERT_TRUE(s) << error;
    WriteBatch b;
    b.put("k", "v");
    ASSERT_TRUE(commit_sync(*s, std::move(b), Durability::periodic));
  }
  std::string error;
  auto s = RocksStore::open({dir}, &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->get("k").value, "v");
}

TEST(RocksStore, ConcurrentSyncCommitsShareFsyncs) {
  std::string error;
  auto s = RocksStore::open({temp_dir("rocks-group")}, &error);
  ASSERT_TRUE(s) << error;
  constexpr int kThreads = 8, kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        WriteBatch b;
        b.put("k" + std::to_string(t) + "-" + std::to_string(i), "v");
        if (commit_sync(*s, std::move(b))) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, kThreads * kPerThread);
  auto stats = s->stats();
  EXPECT_EQ(stats.commits, uint64_t(kThreads * kPerThread));
  // With 8 writers waiting at once, far fewer fsyncs than commits are needed.
  EXPECT_LT(stats.syncs, stats.commits);
}

TEST(RocksStore, CallbacksRunInCommitOrder) {
  std::string error;
  auto s = RocksStore::open({temp_dir("rocks-order")}, &error);
  ASSERT_TRUE(s) << error;
  std::vector<int> order;
  std::mutex m;
  std::promise<void> last;
  for (int i = 0; i < 100; ++i) {
    WriteBatch b;
    b.put("k" + std::to_string(i), "v");
    s->commit(std::move(b), i % 2 ? Durability::sync : Durability::periodic, [&, i](bool) {
      std::lock_guard lock(m);
      order.push_back(i);
      if (i == 99) last.set_value();
    });
  }
  last.get_future().wait();
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
}

// Commits that pile up while one is being written are merged into one write,
// with point writes sorted by key between range deletions: the outcome must
// still be that of applying every commit, and every op in it, in order.
TEST(RocksStore, MergedCommitsKeepTheirOrder) {
  std::string error;
  auto s = RocksStore::open({temp_dir("rocks-merge")}, &error);
  ASSERT_TRUE(s) << error;
  std::map<std::string, std::string> model;
  std::mt19937 rng(7);
  auto key = [&] { return "k" + std::to_string(rng() % 40); };
  std::promise<void> last;
  constexpr int kCommits = 400;
  for (int c = 0; c < kCommits; ++c) {
    WriteBatch b;
    for (int n = 1 + int(rng() % 6); n > 0; --n) {
      const unsigned what = rng() % 10;
      if (what < 6) {
        std::string k = key(), v = std::to_string(c) + "." + std::to_string(n);
        model[k] = v;
        b.put(k, v);
      } else if (what < 9) {
        std::string k = key();
        model.erase(k);
        b.del(k);
      } else {
        std::string from = key(), to = key();
        if (to < from) std::swap(from, to);
        model.erase(model.lower_bound(from), model.lower_bound(to));
        b.del_range(from, to);
      }
    }
    s->commit(std::move(b), Durability::periodic, [&, c](bool) {
      if (c == kCommits - 1) last.set_value();
    });
  }
  last.get_future().wait();
  EXPECT_LT(s->stats().writes, uint64_t(kCommits));  // some commits were merged
  std::map<std::string, std::string> stored;
  s->scan("k", [&](std::string_view k, std::string_view v) {
    stored.emplace(k, v);
    return true;
  });
  EXPECT_EQ(stored, model);
}

}  // namespace
}  // namespace sluice::storage
