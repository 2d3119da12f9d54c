#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

void list_streams(Kinesis& k, const aws::CallPtr& call) {
  const auto& ctx = call->context();
  auto limit = int_member(call, "Limit", 1, 10000, 100);
  if (!limit.ok()) return call->fail(limit.error());
  std::string after = call->input().value("ExclusiveStartStreamName", "");
  if (call->input().contains("NextToken")) {
    auto start = page_start(call->input()["NextToken"], k.clock.now());
    if (!start.ok()) return call->fail(start.error());
    after = *start;
  }
  nlohmann::json names = nlohmann::json::array(), summaries = nlohmann::json::array();
  bool more = false;
  std::string last;
  for (const auto& s : k.streams.in_account(ctx.region, ctx.account)) {
    if (!after.empty() && s->key().name <= after) continue;
    if (names.size() == size_t(*limit)) {
      more = true;
      break;
    }
    const auto v = s->view();
    names.push_back(v.key.name);
    summaries.push_back({{"StreamName", v.key.name},
                         {"StreamARN", v.arn},
                         {"StreamStatus", "ACTIVE"},
                         {"StreamModeDetails", mode_json(v.record.mode)},
                         {"StreamCreationTimestamp", epoch_seconds(v.record.created_ms)}});
    last = v.key.name;
  }
  nlohmann::json out = {{"StreamNames", std::move(names)}, {"HasMoreStreams", more}, {"StreamSummaries", summaries}};
  if (more) out["NextToken"] = page_token(last, k.clock.now());
  call->succeed(out);
}

}  // namespace sluice::kinesis
