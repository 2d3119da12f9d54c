#include "runtime/stream/changes.h"

#include <algorithm>

#include "runtime/stream/resharding.h"
#include "runtime/stream/sequence_number.h"

namespace sluice::stream::changes {
namespace {

using format::StreamRecord;
constexpr int64_t kDayMs = 24 * 3'600'000;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

Status<Error> check_retention(int64_t hours) {
  if (hours < kMinRetentionHours || hours > kMaxRetentionHours)
    return invalid("RetentionPeriodHours", std::to_string(hours),
                   "RetentionPeriodHours must be between 24 and 8760 hours.");
  return {};
}

Status<Error> check_record_kib(int64_t kib) {
  if (kib < kMinRecordKib || kib > kMaxRecordKib)
    return invalid("MaxRecordSizeInKiB", std::to_string(kib), "MaxRecordSizeInKiB must be between 1024 and 10240.");
  return {};
}

Result<uint32_t, Error> shard_index(const std::string& id, const char* field) {
  auto index = parse_shard_id(id);
  if (!index) return fail(errc::not_found, field, "Could not find shard " + id + ".");
  return *index;
}

Status<Error> check_consumer_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || !std::all_of(name.begin(), name.end(), name_char))
    return invalid("ConsumerName", name, "ConsumerName must be 1 to 128 of a-z, A-Z, 0-9, _ . and -.");
  return {};
}

Status<Error> rescale_to(StreamRecord& r, uint32_t target, TimeMs now) {
  if (r.mode == format::Mode::on_demand)
    return fail(errc::unsupported, "TargetShardCount", "UpdateShardCount is not supported for ON_DEMAND streams.");
  return rescale(r, target, now);
}

}  // namespace

Status<Error> validate_stream_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || !std::all_of(name.begin(), name.end(), name_char))
    return invalid("StreamName", name, "StreamName must be 1 to 128 of a-z, A-Z, 0-9, _ . and -.");
  return {};
}

Status<Error> validate_tags(const format::StringPairs& tags) {
  if (tags.size() > kMaxTags) return fail(errc::limit_exceeded, "Tags", "A stream can have at most 50 tags.");
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > 128) return invalid("Tags", k, "A tag key must be 1 to 128 characters.");
    if (v.size() > 256) return invalid("Tags", v, "A tag value must be at most 256 characters.");
    if (k.rfind("aws:", 0) == 0) return invalid("Tags", k, "Tag keys may not start with aws:.");
  }
  return {};
}

Status<Error> check_settings(const Settings& s) {
  if (s.mode == format::Mode::provisioned && (s.shard_count < 1 || s.shard_count > kMaxShardsPerStream))
    return invalid("ShardCount", std::to_string(s.shard_count), "ShardCount must be between 1 and 10000.");
  if (auto st = check_retention(s.retention_hours); !st) return st;
  if (auto st = check_record_kib(s.max_record_kib); !st) return st;
  if (auto st = validate_tags(s.tags); !st) return st;
  if (s.consumers.size() > kMaxConsumers)
    return fail(errc::limit_exceeded, "Consumers", "A stream can have at most 20 consumers.");
  for (const auto& c : s.consumers)
    if (auto st = check_consumer_name(c); !st) return st;
  return {};
}

Change apply(Settings s) {
  return [s = std::move(s)](StreamRecord& r, TimeMs now) -> Status<Error> {
    if (auto st = check_settings(s); !st) return st;
    if (s.mode == format::Mode::provisioned && open_shard_count(r) != s.shard_count) {
      r.mode = format::Mode::provisioned;
      // A spec edit may go further than one call's doubling or halving: step there.
      while (open_shard_count(r) != s.shard_count) {
        const size_t open = open_shard_count(r);
        const size_t step = std::clamp<size_t>(s.shard_count, (open + 1) / 2, open * 2);
        if (auto st = rescale(r, uint32_t(step), now); !st) return st;
      }
    }
    r.mode = s.mode;
    r.retention_hours = s.retention_hours;
    r.max_record_kib = s.max_record_kib;
    r.encryption_key = s.encryption_key;
    r.fidelity = s.fidelity;
    r.tags = s.tags;
    std::erase_if(r.consumers, [&](const auto& c) {
      return std::find(s.consumers.begin(), s.consumers.end(), c.name) == s.consumers.end();
    });
    for (const auto& name : s.consumers)
      if (std::none_of(r.consumers.begin(), r.consumers.end(), [&](const auto& c) { return c.name == name; }))
        r.consumers.push_back({name, now});
    return {};
  };
}

Change retention(int64_t hours, bool increase) {
  return [hours, increase](StreamRecord& r, TimeMs) -> Status<Error> {
    if (auto st = check_retention(hours); !st) return st;
    if (increase && hours < r.retention_hours)
      return invalid("RetentionPeriodHours", std::to_string(hours),
                     "Requested retention period (" + std::to_string(hours) +
                         " hours) for stream can not be shorter than existing retention period (" +
                         std::to_string(r.retention_hours) + " hours). Use DecreaseRetentionPeriod API.");
    if (!increase && hours > r.retention_hours)
      return invalid("RetentionPeriodHours", std::to_string(hours),
                     "Requested retention period (" + std::to_string(hours) +
                         " hours) for stream can not be longer than existing retention period (" +
                         std::to_string(r.retention_hours) + " hours). Use IncreaseRetentionPeriod API.");
    r.retention_hours = hours;
    return {};
  };
}

Change max_record_size(int64_t kib) {
  return [kib](StreamRecord& r, TimeMs) -> Status<Error> {
    if (auto st = check_record_kib(kib); !st) return st;
    r.max_record_kib = kib;
    return {};
  };
}

Change encryption(std::string key_id) {
  return [key_id = std::move(key_id)](StreamRecord& r, TimeMs) -> Status<Error> {
    r.encryption_key = key_id;
    return {};
  };
}

Change add_tags(format::StringPairs tags) {
  return [tags = std::move(tags)](StreamRecord& r, TimeMs) -> Status<Error> {
    format::StringPairs merged = r.tags;
    for (const auto& [k, v] : tags) {
      auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& p) { return p.first == k; });
      if (it != merged.end()) it->second = v;
      else merged.emplace_back(k, v);
    }
    if (auto st = validate_tags(merged); !st) return st;
    r.tags = std::move(merged);
    return {};
  };
}

Change remove_tags(std::vector<std::string> keys) {
  return [keys = std::move(keys)](StreamRecord& r, TimeMs) -> Status<Error> {
    std::erase_if(r.tags, [&](const auto& p) { return std::find(keys.begin(), keys.end(), p.first) != keys.end(); });
    return {};
  };
}

Change policy(std::string policy) {
  return [policy = std::move(policy)](StreamRecord& r, TimeMs) -> Status<Error> {
    r.policy = policy;
    return {};
  };
}

const std::vector<std::string>& all_shard_metrics() {
  static const std::vector<std::string> names = {"IncomingBytes",
                                                 "IncomingRecords",
                                                 "OutgoingBytes",
                                                 "OutgoingRecords",
                                                 "WriteProvisionedThroughputExceeded",
                                                 "ReadProvisionedThroughputExceeded",
                                                 "IteratorAgeMilliseconds"};
  return names;
}

Change shard_metrics(std::vector<std::string> metrics, bool enable) {
  return [metrics = std::move(metrics), enable](StreamRecord& r, TimeMs) -> Status<Error> {
    std::vector<std::string> named;
    for (const auto& m : metrics) {
      if (m == "ALL") {
        named = all_shard_metrics();
        break;
      }
      const auto& all = all_shard_metrics();
      if (std::find(all.begin(), all.end(), m) == all.end())
        return invalid("ShardLevelMetrics", m, "Unknown shard-level metric " + m + ".");
      named.push_back(m);
    }
    for (const auto& m : named) {
      auto it = std::find(r.shard_metrics.begin(), r.shard_metrics.end(), m);
      if (enable && it == r.shard_metrics.end()) r.shard_metrics.push_back(m);
      if (!enable && it != r.shard_metrics.end()) r.shard_metrics.erase(it);
    }
    return {};
  };
}

Change mode(format::Mode mode) {
  return [mode](StreamRecord& r, TimeMs) -> Status<Error> {
    if (r.mode == mode)
      return fail(errc::state_conflict, "StreamModeDetails", "The stream is already in the requested mode.");
    r.mode = mode;
    return {};
  };
}

Change split(std::string shard, HashKey new_start) {
  return [shard = std::move(shard), new_start](StreamRecord& r, TimeMs now) -> Status<Error> {
    auto index = shard_index(shard, "ShardToSplit");
    if (!index) return Failure<Error>{index.error()};
    return split_shard(r, *index, new_start, now);
  };
}

Change merge(std::string shard, std::string adjacent) {
  return [shard = std::move(shard), adjacent = std::move(adjacent)](StreamRecord& r, TimeMs now) -> Status<Error> {
    auto a = shard_index(shard, "ShardToMerge");
    if (!a) return Failure<Error>{a.error()};
    auto b = shard_index(adjacent, "AdjacentShardToMerge");
    if (!b) return Failure<Error>{b.error()};
    return merge_shards(r, *a, *b, now);
  };
}

Change shard_count(uint32_t target) {
  return [target](StreamRecord& r, TimeMs now) -> Status<Error> {
    if (r.fidelity) {
      std::erase_if(r.rescaled_ms, [&](TimeMs t) { return t <= now - kDayMs; });
      if (int(r.rescaled_ms.size()) >= kRescalesPerDay)
        return fail(errc::limit_exceeded, "TargetShardCount",
                    "UpdateShardCount may be called at most 10 times in a rolling 24-hour period.");
      r.rescaled_ms.push_back(now);
    }
    return rescale_to(r, target, now);
  };
}

Change register_consumer(std::string name) {
  return [name = std::move(name)](StreamRecord& r, TimeMs now) -> Status<Error> {
    if (auto st = check_consumer_name(name); !st) return st;
    if (std::any_of(r.consumers.begin(), r.consumers.end(), [&](const auto& c) { return c.name == name; }))
      return fail(errc::already_exists, "ConsumerName", "Consumer " + name + " already exists.");
    if (r.consumers.size() >= kMaxConsumers)
      return fail(errc::limit_exceeded, "ConsumerName", "A stream can have at most 20 registered consumers.");
    r.consumers.push_back({name, now});
    return {};
  };
}

Change deregister_consumer(std::string name) {
  return [name = std::move(name)](StreamRecord& r, TimeMs) -> Status<Error> {
    auto it = std::find_if(r.consumers.begin(), r.consumers.end(), [&](const auto& c) { return c.name == name; });
    if (it == r.consumers.end()) return fail(errc::not_found, "ConsumerName", "Consumer " + name + " not found.");
    r.consumers.erase(it);
    return {};
  };
}

Change forget_expired_shards() {
  return [](StreamRecord& r, TimeMs now) -> Status<Error> {
    const uint64_t cutoff = counter_at(now - r.retention_hours * 3'600'000);
    std::erase_if(r.shards, [&](const auto& s) { return !s.open() && s.ending < cutoff; });
    return {};
  };
}

Change autoscale(std::vector<uint32_t> split_at, std::vector<std::pair<uint32_t, uint32_t>> merges) {
  return [split_at = std::move(split_at), merges = std::move(merges)](StreamRecord& r, TimeMs now) -> Status<Error> {
    if (r.mode != format::Mode::on_demand) return {};
    for (uint32_t index : split_at)
      if (auto* s = find_shard(r, index); s && s->open() && s->range.end > s->range.start)
        (void)split_shard(r, index, s->range.start + (s->range.end - s->range.start) / 2 + 1, now);
    for (auto [a, b] : merges) (void)merge_shards(r, a, b, now);  // a pair no longer open or adjacent is skipped
    return {};
  };
}

}  // namespace sluice::stream::changes
