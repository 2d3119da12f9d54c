#pragma once
// The changes the control plane makes to a stream, one function each, as
// Changes that Stream::change applies under its lock (see stream.h): the rules
// AWS checks for each (retention bounds, tag limits, rescaling quotas) live
// here, not in the front end.

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/stream/hash_key.h"
#include "runtime/stream/stream.h"

namespace sluice::stream::changes {

inline constexpr int64_t kMinRetentionHours = 24;
inline constexpr int64_t kMaxRetentionHours = 8760;
inline constexpr int64_t kMinRecordKib = 1024;
inline constexpr int64_t kMaxRecordKib = 10240;
inline constexpr size_t kMaxTags = 50;
inline constexpr size_t kMaxConsumers = 20;
inline constexpr int kRescalesPerDay = 10;

// What a Stream resource (or CreateStream) asks for, all at once.
struct Settings {
  format::Mode mode = format::Mode::provisioned;
  uint32_t shard_count = 1;  // provisioned streams
  int64_t retention_hours = 24;
  int64_t max_record_kib = 1024;
  std::string encryption_key;  // empty: none
  bool fidelity = false;
  format::StringPairs tags;
  std::vector<std::string> consumers;
};

Status<Error> check_settings(const Settings& settings);
// The whole of `settings`: shards rescaled to shard_count (provisioned), tags
// and consumers replaced.
Change apply(Settings settings);

// IncreaseStreamRetentionPeriod (increase) and DecreaseStreamRetentionPeriod.
Change retention(int64_t hours, bool increase);
Change max_record_size(int64_t kib);
Change encryption(std::string key_id);  // "" stops encryption
Change add_tags(format::StringPairs tags);
Change remove_tags(std::vector<std::string> keys);
Change policy(std::string policy);  // "" deletes it
// Enable (or disable) shard-level metrics; "ALL" stands for every one.
Change shard_metrics(std::vector<std::string> metrics, bool enable);
Change mode(format::Mode mode);
Change split(std::string shard, HashKey new_start);
Change merge(std::string shard, std::string adjacent);
Change shard_count(uint32_t target);
Change register_consumer(std::string name);
Change deregister_consumer(std::string name);

// Drops closed shards all of whose records are past retention.
Change forget_expired_shards();
// The on-demand scaler's decisions: split `split_at` shards at their middle,
// merge each pair in `merges`.
Change autoscale(std::vector<uint32_t> split_at, std::vector<std::pair<uint32_t, uint32_t>> merges);

// The shard-level metric names, in AWS's order.
const std::vector<std::string>& all_shard_metrics();

Status<Error> validate_stream_name(const std::string& name);
Status<Error> validate_tags(const format::StringPairs& tags);

}  // namespace sluice::stream::changes
