#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/records.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

void get_records(Kinesis& k, const aws::CallPtr& call) {
  const auto& ctx = call->context();
  auto limit = int_member(call, "Limit", 1, int64_t(stream::kMaxGetRecords), int64_t(stream::kMaxGetRecords));
  if (!limit.ok()) return call->fail(limit.error());
  auto at = k.streams.open_iterator(call->input()["ShardIterator"].get<std::string>(), ctx.region, ctx.account);
  if (!at.ok()) return call->fail(at.error());
  if (call->input().contains("StreamARN") && call->input()["StreamARN"] != at->stream->arn())
    return call->fail(
        invalid("StreamARN", call->input()["StreamARN"], "StreamARN does not match the shard iterator.").error);
  auto r = at->stream->read(at->at, size_t(*limit));
  if (!r.ok()) return call->fail(r.error());
  nlohmann::json out = {{"Records", records_json(r->records)}, {"MillisBehindLatest", r->millis_behind}};
  if (r->next_iterator) out["NextShardIterator"] = *r->next_iterator;
  else out["ChildShards"] = children_json(r->children);
  call->succeed(out);
}

}  // namespace sluice::kinesis
