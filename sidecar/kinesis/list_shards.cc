#include <cmath>

#include "runtime/stream/sequence_number.h"
#include "runtime/stream/shard.h"
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {
namespace {

using stream::format::ShardRecord;

// Which shards a ShardFilter keeps (ListShards, "ShardFilter").
struct Filter {
  std::string type;
  std::optional<uint32_t> shard;
  TimeMs at = 0;
  uint64_t trim = 0;  // the retention cutoff: closed shards ending below it are past the trim horizon

  bool keeps(const ShardRecord& s) const {
    if (type.empty()) return true;
    if (type == "AFTER_SHARD_ID") return shard && s.index > *shard;
    if (type == "AT_LATEST") return s.open();
    if (type == "AT_TRIM_HORIZON") return s.starting <= trim || (s.parent == stream::format::kNoShard);
    if (type == "FROM_TRIM_HORIZON") return true;
    const uint64_t at_counter = stream::counter_at(at);
    if (type == "AT_TIMESTAMP") return s.starting <= at_counter && (s.open() || s.ending >= at_counter);
    if (type == "FROM_TIMESTAMP") return s.open() || s.ending >= at_counter;
    return false;
  }
};

}  // namespace

void list_shards(Kinesis& k, const aws::CallPtr& call) {
  const auto& in = call->input();
  auto limit = int_member(call, "MaxResults", 1, 10000, 1000);
  if (!limit.ok()) return call->fail(limit.error());
  std::string stream_arn, after = in.value("ExclusiveStartShardId", "");
  if (in.contains("NextToken")) {
    if (in.contains("StreamName"))
      return call->fail(invalid("NextToken", "", "NextToken and StreamName cannot be provided together.").error);
    auto start = page_start(in["NextToken"], k.clock.now());
    if (!start.ok()) return call->fail(start.error());
    const auto bar = start->find('|');
    stream_arn = start->substr(0, bar);
    after = bar == std::string::npos ? "" : start->substr(bar + 1);
  }
  stream::StreamPtr s;
  if (!stream_arn.empty()) {
    s = k.streams.find(stream_arn);
    if (!s) return call->fail({errc::not_found, "StreamName", "Stream " + stream_arn + " not found.", std::nullopt});
  } else {
    auto found = find_stream(k.streams, call);
    if (!found.ok()) return call->fail(found.error());
    s = *found;
  }
  Filter filter;
  if (in.contains("ShardFilter")) {
    const auto& f = in["ShardFilter"];
    filter.type = f.value("Type", "");
    static const std::vector<std::string> kTypes = {"AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON",
                                                    "AT_LATEST",      "AT_TIMESTAMP",    "FROM_TIMESTAMP"};
    if (std::find(kTypes.begin(), kTypes.end(), filter.type) == kTypes.end())
      return call->fail(
          invalid("ShardFilter.Type", filter.type, "Unknown ShardFilter type " + filter.type + ".").error);
    if (filter.type == "AFTER_SHARD_ID") {
      filter.shard = stream::parse_shard_id(f.value("ShardId", ""));
      if (!filter.shard)
        return call->fail(invalid("ShardFilter.ShardId", "", "ShardId is required for AFTER_SHARD_ID.").error);
    }
    if (filter.type.find("TIMESTAMP") != std::string::npos) {
      if (!f.contains("Timestamp") || !f["Timestamp"].is_number())
        return call->fail(invalid("ShardFilter.Timestamp", "", "Timestamp is required for " + filter.type + ".").error);
      filter.at = TimeMs(std::llround(f["Timestamp"].get<double>() * 1000.0));
    }
  }
  const auto v = s->view();
  filter.trim = stream::counter_at(k.clock.now() - v.record.retention_hours * 3'600'000);
  auto after_index = after.empty() ? std::nullopt : stream::parse_shard_id(after);
  nlohmann::json shards = nlohmann::json::array();
  std::string last;
  bool more = false;
  for (const auto& shard : v.shards) {
    if ((after_index && shard.index <= *after_index) || !filter.keeps(shard)) continue;
    if (shards.size() == size_t(*limit)) {
      more = true;
      break;
    }
    shards.push_back(shard_json(shard));
    last = stream::shard_id(shard.index);
  }
  nlohmann::json out = {{"Shards", std::move(shards)}};
  if (more) out["NextToken"] = page_token(v.arn + "|" + last, k.clock.now());
  call->succeed(out);
}

}  // namespace sluice::kinesis
