#include "runtime/stream/sequence_number.h"
#include "runtime/stream/shard.h"
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/records.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {
namespace {

constexpr size_t kMaxRecords = 500;
constexpr size_t kMaxRequestBytes = size_t(10) << 20;

}  // namespace

// Records are checked first (a bad one fails the whole call, as on AWS); then
// each one succeeds or fails on its own, in order, with ErrorCode/ErrorMessage.
void put_records(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  const auto& records = call->input()["Records"];
  if (records.empty() || records.size() > kMaxRecords)
    return call->fail({errc::too_large, "Records",
                       records.empty() ? "Member must have length greater than or equal to 1"
                                       : "Member must have length less than or equal to 500",
                       std::nullopt});
  std::vector<stream::PutEntry> entries;
  entries.reserve(records.size());
  size_t bytes = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    auto e = put_entry(records[i], **s, "Records." + std::to_string(i + 1) + ".member.");
    if (!e.ok()) return call->fail(e.error());
    bytes += e->data.size() + e->partition_key.size();
    entries.push_back(std::move(*e));
  }
  if (bytes > kMaxRequestBytes) return call->fail(invalid("Records", "", "Records size exceeds 10 MiB limit").error);
  auto stream = *s;
  stream->put(std::move(entries), [call, stream](std::vector<stream::PutOutcome> outcomes) {
    nlohmann::json out = nlohmann::json::array();
    int failed = 0;
    bool encrypted = false;
    for (const auto& o : outcomes) {
      encrypted = encrypted || o.encrypted;
      if (o.code == stream::PutOutcome::Code::ok) {
        out.push_back(
            {{"ShardId", stream::shard_id(o.shard)}, {"SequenceNumber", stream::format_sequence(o.counter, o.shard)}});
        continue;
      }
      ++failed;
      if (o.code == stream::PutOutcome::Code::throttled)
        out.push_back({{"ErrorCode", "ProvisionedThroughputExceededException"},
                       {"ErrorMessage", "Rate exceeded for shard " + stream::shard_id(o.shard) + " in stream " +
                                            stream->key().name + " under account " + stream->key().account + "."}});
      else out.push_back({{"ErrorCode", "InternalFailure"}, {"ErrorMessage", "Internal service failure."}});
    }
    call->succeed(
        {{"FailedRecordCount", failed}, {"Records", std::move(out)}, {"EncryptionType", encryption_type(encrypted)}});
  });
}

}  // namespace sluice::kinesis
