#include "sidecar/kinesis/records.h"

#include "runtime/common/base64.h"
#include "runtime/common/text.h"
#include "runtime/stream/sequence_number.h"
#include "runtime/stream/shard.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

Result<stream::PutEntry, Error> put_entry(const nlohmann::json& record, const stream::Stream& stream,
                                          const std::string& member) {
  stream::PutEntry e;
  e.partition_key = record.value("PartitionKey", "");
  const size_t key_chars = utf8_length(e.partition_key);
  if (key_chars < 1 || key_chars > 256)
    return fail(errc::too_large, member + "PartitionKey",
                key_chars < 1 ? "Member must have length greater than or equal to 1"
                              : "Member must have length less than or equal to 256");
  auto data = base64_decode(record.value("Data", ""));
  if (!data) return invalid(member + "Data", "", "Data is not valid base64.");
  e.data = std::move(*data);
  const size_t limit = stream.max_record_bytes();
  if (e.data.size() + e.partition_key.size() > limit)
    return fail(errc::too_large, member + "Data",
                "Member must have length less than or equal to " + std::to_string(limit) +
                    " (data and partition key together)");
  if (record.contains("ExplicitHashKey")) {
    const std::string text = record["ExplicitHashKey"];
    auto hash = stream::parse_hash_key(text);
    if (!hash)
      return invalid(
          member + "ExplicitHashKey", text,
          "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was " + text);
    e.explicit_hash = *hash;
  }
  return e;
}

const char* encryption_type(bool encrypted) { return encrypted ? "KMS" : "NONE"; }

nlohmann::json records_json(const std::vector<stream::ReadRecord>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : records)
    out.push_back({{"SequenceNumber", stream::format_sequence(r.counter, r.shard)},
                   {"ApproximateArrivalTimestamp", epoch_seconds(r.stored.arrival_ms)},
                   {"Data", base64_encode(r.stored.data)},
                   {"PartitionKey", r.stored.partition_key},
                   {"EncryptionType", encryption_type(r.stored.encrypted)}});
  return out;
}

nlohmann::json children_json(const std::vector<stream::ChildShard>& children) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : children) {
    nlohmann::json parents = nlohmann::json::array();
    for (uint32_t p : c.parents) parents.push_back(stream::shard_id(p));
    out.push_back({{"ShardId", stream::shard_id(c.index)},
                   {"ParentShards", std::move(parents)},
                   {"HashKeyRange",
                    {{"StartingHashKey", stream::to_decimal(c.range.start)},
                     {"EndingHashKey", stream::to_decimal(c.range.end)}}}});
  }
  return out;
}

}  // namespace sluice::kinesis
