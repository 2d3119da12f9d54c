#pragma once
// A StreamService on a MemoryStore with a ManualClock, and blocking helpers:
// the store commits inline, so every call below has answered when it returns.

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/storage/memory_store.h"
#include "runtime/stream/stream_service.h"

namespace sluice::stream::testing {

class StreamFixture : public ::testing::Test {
 protected:
  explicit StreamFixture(storage::Store* store = nullptr)
      : store_(store ? *store : memory_),
        service_(std::make_unique<StreamService>(options(), store_, clock, scheduler)) {}

  static StreamServiceOptions options() {
    StreamServiceOptions o;
    o.durability = storage::Durability::memory;
    return o;
  }

  StreamPtr create(const std::string& name, uint32_t shards = 1, bool on_demand = false) {
    CreateRequest r;
    r.key = {"us-east-1", "000000000000", name};
    r.settings.shard_count = shards;
    r.settings.mode = on_demand ? format::Mode::on_demand : format::Mode::provisioned;
    StreamPtr out;
    service_->create_stream(r, [&](Result<StreamPtr, Error> s) {
      ASSERT_TRUE(s.ok()) << s.error().message;
      out = *s;
    });
    return out;
  }

  Status<Error> update(const StreamPtr& s, Change change) {
    Status<Error> out = fail(errc::storage_failure, "", "no answer");
    service_->update(s, std::move(change), [&](Status<Error> st) { out = std::move(st); });
    return out;
  }

  PutOutcome put(const StreamPtr& s, const std::string& key, const std::string& data,
                 std::optional<HashKey> hash = std::nullopt) {
    std::vector<PutEntry> entries{{key, data, hash, std::nullopt}};
    PutOutcome out;
    s->put(std::move(entries), [&](std::vector<PutOutcome> o) { out = o.at(0); });
    return out;
  }

  std::string iterator(const StreamPtr& s, uint32_t shard, IteratorType type = IteratorType::trim_horizon,
                       std::string sequence = "", TimeMs at = 0) {
    auto it = s->iterator({shard_id(shard), type, std::move(sequence), at});
    EXPECT_TRUE(it.ok()) << (it.ok() ? "" : it.error().message);
    return it.ok() ? *it : "";
  }

  Result<Records, Error> read(const std::string& token, size_t limit = kMaxGetRecords) {
    auto at = service_->open_iterator(token, "us-east-1", "000000000000");
    if (!at.ok()) return Failure<Error>{at.error()};
    return at->stream->read(at->at, limit);
  }

  // Every record from `token` on, following NextShardIterator until caught up.
  std::vector<std::string> drain(std::string token) {
    std::vector<std::string> data;
    for (;;) {
      auto r = read(token);
      EXPECT_TRUE(r.ok());
      if (!r.ok()) break;
      for (const auto& rec : r->records) data.push_back(rec.stored.data);
      if (!r->next_iterator || r->records.empty()) break;
      token = *r->next_iterator;
    }
    return data;
  }

  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::MemoryStore memory_;
  storage::Store& store_;
  std::unique_ptr<StreamService> service_;
};

}  // namespace sluice::stream::testing
