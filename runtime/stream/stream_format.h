#pragma once
// The stream engine's records in the store, encoded and decoded here and nowhere
// else; runtime/storage/LAYOUT.md describes the same formats.
//
//   K region \0 account \0 name          -> StreamRecord (settings, shards, consumers)
//   R stream_uid(8) shard(4) counter(8)  -> one record (StoredRecord)
//
// A shard's records sort by counter, so a read is one seek and a scan, and
// retention is one range deletion per shard.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/storage/key_space.h"
#include "runtime/stream/hash_key.h"

namespace sluice::stream::format {

using StringPairs = std::vector<std::pair<std::string, std::string>>;

inline constexpr uint32_t kNoShard = UINT32_MAX;

struct ShardRecord {
  uint32_t index = 0;  // shardId-<12 digits>
  uint32_t parent = kNoShard;
  uint32_t adjacent_parent = kNoShard;
  HashRange range;
  uint64_t starting = 0;  // the lowest counter the shard may hold
  uint64_t ending = 0;    // 0 while the shard is open; the highest counter it holds once closed
  TimeMs created_ms = 0;
  bool open() const { return ending == 0; }
  bool operator==(const ShardRecord&) const = default;
};

struct ConsumerRecord {
  std::string name;
  TimeMs created_ms = 0;
  bool operator==(const ConsumerRecord&) const = default;
};

enum class Mode : uint8_t { provisioned = 0, on_demand = 1 };

struct StreamRecord {
  uint64_t uid = 0;
  TimeMs created_ms = 0;
  Mode mode = Mode::provisioned;
  int64_t retention_hours = 24;
  int64_t max_record_kib = 1024;
  std::string encryption_key;  // empty: not encrypted; else the KMS key id given
  StringPairs tags;
  std::string policy;                      // the resource policy, as given
  std::vector<std::string> shard_metrics;  // EnableEnhancedMonitoring
  bool fidelity = false;                   // AWS's per-shard throughput limits enforced
  std::vector<TimeMs> rescaled_ms;         // UpdateShardCount calls of the last 24 h
  std::vector<ShardRecord> shards;         // by index
  uint32_t next_shard = 0;
  std::vector<ConsumerRecord> consumers;
  std::string resource;  // the Stream resource's name, for streams made from one
  bool operator==(const StreamRecord&) const = default;
};

struct StoredRecord {
  TimeMs arrival_ms = 0;
  bool encrypted = false;
  std::string partition_key;
  std::string data;  // raw bytes
};

std::string stream_key(std::string_view region, std::string_view account, std::string_view name);
std::optional<storage::NamedKey> parse_stream_key(std::string_view key);
std::string encode_stream(const StreamRecord& record);
std::optional<StreamRecord> decode_stream(std::string_view value);

std::string records_prefix(uint64_t stream_uid);
std::string shard_prefix(uint64_t stream_uid, uint32_t shard);
std::string record_key(uint64_t stream_uid, uint32_t shard, uint64_t counter);
uint64_t stream_uid_of_record_key(std::string_view key);
uint32_t shard_of_record_key(std::string_view key);
uint64_t counter_of_record_key(std::string_view key);
inline constexpr size_t kRecordKeyBytes = 1 + 8 + 4 + 8;

// Appends the value of a record to `out` (one allocation for a batch of them).
void encode_record(std::string& out, TimeMs arrival_ms, bool encrypted, std::string_view partition_key,
                   std::string_view data);
bool decode_record(std::string_view value, StoredRecord& out);
// The arrival time alone, without copying the data.
std::optional<TimeMs> arrival_of_record(std::string_view value);

}  // namespace sluice::stream::format
