#include "runtime/stream/resharding.h"
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

void create_stream(Kinesis& k, const aws::CallPtr& call) {
  const auto& in = call->input();
  const auto& ctx = call->context();
  stream::CreateRequest r;
  r.key = {ctx.region, ctx.account, in["StreamName"]};
  auto& s = r.settings;
  if (in.contains("StreamModeDetails")) {
    const std::string mode = in["StreamModeDetails"].value("StreamMode", "");
    if (mode != "PROVISIONED" && mode != "ON_DEMAND")
      return call->fail(
          invalid("StreamModeDetails.StreamMode", mode, "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]")
              .error);
    if (mode == "ON_DEMAND") s.mode = stream::format::Mode::on_demand;
  }
  if (s.mode == stream::format::Mode::provisioned) {
    if (!in.contains("ShardCount"))
      return call->fail(invalid("ShardCount", "", "ShardCount is required for a PROVISIONED stream.").error);
    auto count = int_member(call, "ShardCount", 1, stream::kMaxShardsPerStream, 1);
    if (!count.ok()) return call->fail(count.error());
    s.shard_count = uint32_t(*count);
  }
  auto kib = int_member(call, "MaxRecordSizeInKiB", stream::changes::kMinRecordKib, stream::changes::kMaxRecordKib,
                        stream::changes::kMinRecordKib);
  if (!kib.ok()) return call->fail(kib.error());
  s.max_record_kib = *kib;
  if (in.contains("Tags"))
    for (const auto& [key, value] : in["Tags"].items()) s.tags.emplace_back(key, value.get<std::string>());
  k.streams.create_stream(std::move(r), [call](Result<stream::StreamPtr, Error> created) {
    if (!created.ok()) return call->fail(created.error());
    call->succeed();
  });
}

}  // namespace sluice::kinesis
