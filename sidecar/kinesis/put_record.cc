#include "runtime/stream/sequence_number.h"
#include "runtime/stream/shard.h"
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/records.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

void put_record(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  auto entry = put_entry(call->input(), **s, "");
  if (!entry.ok()) return call->fail(entry.error());
  if (call->input().contains("SequenceNumberForOrdering")) {
    const std::string after = call->input()["SequenceNumberForOrdering"];
    auto seq = stream::parse_sequence(after);
    if (!seq)
      return call->fail(invalid("SequenceNumberForOrdering", after,
                                "ExclusiveMinimumSequenceNumber " + after + " used in PutRecord on stream " +
                                    (*s)->key().name + " under account " + call->context().account + " is invalid.")
                            .error);
    entry->after = *seq;
  }
  std::vector<stream::PutEntry> entries;
  entries.push_back(std::move(*entry));
  auto stream = *s;
  stream->put(std::move(entries), [call, stream](std::vector<stream::PutOutcome> outcomes) {
    const auto& o = outcomes.front();
    switch (o.code) {
      case stream::PutOutcome::Code::ok:
        return call->succeed({{"ShardId", stream::shard_id(o.shard)},
                              {"SequenceNumber", stream::format_sequence(o.counter, o.shard)},
                              {"EncryptionType", encryption_type(o.encrypted)}});
      case stream::PutOutcome::Code::throttled:
        return call->fail({errc::throttled, "Records",
                           "Rate exceeded for shard " + stream::shard_id(o.shard) + " in stream " + stream->key().name +
                               " under account " + stream->key().account + ".",
                           std::nullopt});
      case stream::PutOutcome::Code::failed:
        return call->fail({errc::storage_failure, "", "The record could not be stored.", std::nullopt});
    }
  });
}

}  // namespace sluice::kinesis
