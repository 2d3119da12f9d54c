#include "runtime/stream/shard.h"
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/records.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

nlohmann::json description_basics(const stream::StreamView& v) {
  nlohmann::json monitoring = nlohmann::json::array({{{"ShardLevelMetrics", v.record.shard_metrics}}});
  nlohmann::json d = {{"StreamName", v.key.name},
                      {"StreamARN", v.arn},
                      {"StreamStatus", "ACTIVE"},
                      {"StreamModeDetails", mode_json(v.record.mode)},
                      {"RetentionPeriodHours", v.record.retention_hours},
                      {"StreamCreationTimestamp", epoch_seconds(v.record.created_ms)},
                      {"EnhancedMonitoring", std::move(monitoring)},
                      {"EncryptionType", encryption_type(!v.record.encryption_key.empty())}};
  if (!v.record.encryption_key.empty()) d["KeyId"] = v.record.encryption_key;
  return d;
}

void describe_stream(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  auto limit = int_member(call, "Limit", 1, 10000, 100);
  if (!limit.ok()) return call->fail(limit.error());
  const auto v = (*s)->view();
  const std::string after = call->input().value("ExclusiveStartShardId", "");
  auto after_index = after.empty() ? std::nullopt : stream::parse_shard_id(after);
  nlohmann::json shards = nlohmann::json::array();
  bool more = false;
  for (const auto& shard : v.shards) {
    if (after_index && shard.index <= *after_index) continue;
    if (shards.size() == size_t(*limit)) {
      more = true;
      break;
    }
    shards.push_back(shard_json(shard));
  }
  nlohmann::json d = description_basics(v);
  d["Shards"] = std::move(shards);
  d["HasMoreShards"] = more;
  call->succeed({{"StreamDescription", std::move(d)}});
}

void describe_stream_summary(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  const auto v = (*s)->view();
  nlohmann::json d = description_basics(v);
  d["OpenShardCount"] = v.open_shards;
  d["ConsumerCount"] = v.record.consumers.size();
  d["MaxRecordSizeInKiB"] = v.record.max_record_kib;
  call->succeed({{"StreamDescriptionSummary", std::move(d)}});
}

}  // namespace sluice::kinesis
