#include "sidecar/kinesis/stream_lookup.h"

#include "runtime/common/arn.h"
#include "runtime/stream/sequence_number.h"

namespace sluice::kinesis {

using json = nlohmann::json;

Result<stream::StreamPtr, Error> find_stream(const stream::StreamService& streams, const aws::CallPtr& call,
                                             const char* name, const char* arn) {
  const auto& in = call->input();
  const auto& ctx = call->context();
  std::string key;
  if (in.contains(arn)) {
    key = in[arn].get<std::string>();
    auto parsed = parse_arn(key);
    if (!parsed || parsed->service != "kinesis" || parsed->resource.rfind("stream/", 0) != 0)
      return invalid(arn, key, "StreamARN " + key + " is not a Kinesis stream ARN.");
    // Another account's streams need a resource policy (not evaluated yet): not found.
    if (parsed->account != ctx.account || parsed->region != ctx.region)
      return fail(errc::not_found, arn, "Stream " + key + " not found.");
    if (in.contains(name) && in[name].get<std::string>() != parsed->resource.substr(7))
      return invalid(name, in[name].get<std::string>(), "StreamName and StreamARN name different streams.");
  } else if (in.contains(name)) {
    key = stream::StreamKey{ctx.region, ctx.account, in[name].get<std::string>()}.arn();
  } else {
    return invalid(name, "", "Either StreamName or StreamARN should be provided.");
  }
  auto s = streams.find(key);
  if (!s) {
    const std::string shown = in.contains(name) ? in[name].get<std::string>() : key;
    return fail(errc::not_found, name, "Stream " + shown + " under account " + ctx.account + " not found.");
  }
  return s;
}

double epoch_seconds(TimeMs ms) { return double(ms) / 1000.0; }

json shard_json(const stream::format::ShardRecord& s) {
  json shard = {
      {"ShardId", stream::shard_id(s.index)},
      {"HashKeyRange",
       {{"StartingHashKey", stream::to_decimal(s.range.start)}, {"EndingHashKey", stream::to_decimal(s.range.end)}}},
      {"SequenceNumberRange", {{"StartingSequenceNumber", stream::format_sequence(s.starting, s.index)}}}};
  if (!s.open()) shard["SequenceNumberRange"]["EndingSequenceNumber"] = stream::format_sequence(s.ending, s.index);
  if (s.parent != stream::format::kNoShard) shard["ParentShardId"] = stream::shard_id(s.parent);
  if (s.adjacent_parent != stream::format::kNoShard)
    shard["AdjacentParentShardId"] = stream::shard_id(s.adjacent_parent);
  return shard;
}

json consumer_json(const stream::ConsumerView& c) {
  return {{"ConsumerName", c.name},
          {"ConsumerARN", c.arn},
          {"ConsumerStatus", "ACTIVE"},
          {"ConsumerCreationTimestamp", epoch_seconds(c.created_ms)}};
}

json mode_json(stream::format::Mode mode) {
  return {{"StreamMode", mode == stream::format::Mode::on_demand ? "ON_DEMAND" : "PROVISIONED"}};
}

json tags_json(const stream::format::StringPairs& tags) {
  json out = json::array();
  for (const auto& [k, v] : tags) out.push_back({{"Key", k}, {"Value", v}});
  return out;
}

}  // namespace sluice::kinesis

#include "runtime/common/base64.h"
#include "runtime/common/text.h"

namespace sluice::kinesis {

Result<std::string, Error> text_member(const aws::CallPtr& call, const char* member, size_t min, size_t max) {
  const auto& in = call->input();
  std::string v = in.contains(member) ? in[member].get<std::string>() : std::string();
  const size_t n = utf8_length(v);
  if (n < min || n > max)
    return fail(errc::too_large, member,
                "Member must have length " + (n < min ? "greater than or equal to " + std::to_string(min)
                                                      : "less than or equal to " + std::to_string(max)));
  return v;
}

Result<int64_t, Error> int_member(const aws::CallPtr& call, const char* member, int64_t min, int64_t max,
                                  int64_t fallback) {
  const auto& in = call->input();
  if (!in.contains(member)) return fallback;
  const int64_t v = in[member].get<int64_t>();
  if (v < min)
    return fail(errc::too_large, member, "Member must have value greater than or equal to " + std::to_string(min));
  if (v > max)
    return fail(errc::too_large, member, "Member must have value less than or equal to " + std::to_string(max));
  return v;
}

std::string page_token(const std::string& after, TimeMs now) {
  return base64_encode(std::to_string(now) + "\n" + after);
}

Result<std::string, Error> page_start(const std::string& token, TimeMs now) {
  auto raw = base64_decode(token);
  const size_t nl = raw ? raw->find('\n') : std::string::npos;
  if (nl == std::string::npos) return invalid("NextToken", token, "Invalid NextToken.");
  const TimeMs made = std::strtoll(raw->substr(0, nl).c_str(), nullptr, 10);
  if (now - made > 300'000) return fail(errc::expired, "NextToken", "The NextToken has expired.");
  return raw->substr(nl + 1);
}

}  // namespace sluice::kinesis
