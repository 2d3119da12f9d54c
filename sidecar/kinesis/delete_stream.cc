#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

void delete_stream(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  k.streams.delete_stream(*s, call->input().value("EnforceConsumerDeletion", false), answer(call));
}

}  // namespace sluice::kinesis
