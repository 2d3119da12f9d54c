// SplitShard, MergeShards, UpdateShardCount.
#include "runtime/stream/resharding.h"

#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

void split_shard(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  const std::string start = call->input()["NewStartingHashKey"];
  auto hash = stream::parse_hash_key(start);
  if (!hash)
    return call->fail(invalid("NewStartingHashKey", start, "NewStartingHashKey must be in [0, 2^128-1].").error);
  k.streams.update(*s, stream::changes::split(call->input()["ShardToSplit"], *hash), answer(call));
}

void merge_shards(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  k.streams.update(*s, stream::changes::merge(call->input()["ShardToMerge"], call->input()["AdjacentShardToMerge"]),
                   answer(call));
}

void update_shard_count(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  const std::string scaling = call->input()["ScalingType"];
  if (scaling != "UNIFORM_SCALING")
    return call->fail(invalid("ScalingType", scaling, "Member must satisfy enum value set: [UNIFORM_SCALING]").error);
  auto target = int_member(call, "TargetShardCount", 1, stream::kMaxShardsPerStream, 1);
  if (!target.ok()) return call->fail(target.error());
  auto stream = *s;
  const size_t current = stream->view().open_shards;
  k.streams.update(stream, stream::changes::shard_count(uint32_t(*target)),
                   [call, stream, current, target = *target](Status<Error> st) {
                     if (!st.ok()) return call->fail(st.error());
                     call->succeed({{"StreamName", stream->key().name},
                                    {"StreamARN", stream->arn()},
                                    {"CurrentShardCount", current},
                                    {"TargetShardCount", target}});
                   });
}

}  // namespace sluice::kinesis
