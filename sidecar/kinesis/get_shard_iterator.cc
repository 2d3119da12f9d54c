#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/starting_position.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

void get_shard_iterator(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  auto r = starting_position(call->input(), kIteratorMembers, call->input()["ShardId"]);
  if (!r.ok()) return call->fail(r.error());
  auto it = (*s)->iterator(*r);
  if (!it.ok()) return call->fail(it.error());
  call->succeed({{"ShardIterator", *it}});
}

}  // namespace sluice::kinesis
