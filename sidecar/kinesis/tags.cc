// AddTagsToStream, RemoveTagsFromStream, ListTagsForStream, and the newer
// TagResource, UntagResource, ListTagsForResource (by stream ARN).
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {
namespace {

constexpr size_t kTagsPerCall = 10;

stream::format::StringPairs tags_of(const nlohmann::json& map) {
  stream::format::StringPairs tags;
  for (const auto& [key, value] : map.items()) tags.emplace_back(key, value.get<std::string>());
  return tags;
}

Result<stream::StreamPtr, Error> by_resource(Kinesis& k, const aws::CallPtr& call) {
  const std::string arn = call->input()["ResourceARN"];
  // Consumer ARNs name their stream first.
  const auto consumer = arn.find("/consumer/");
  auto s = k.streams.find(consumer == std::string::npos ? arn : arn.substr(0, consumer));
  const auto& ctx = call->context();
  if (!s || s->key().account != ctx.account || s->key().region != ctx.region)
    return fail(errc::not_found, "ResourceARN", "Resource " + arn + " not found.");
  return s;
}

void list_tags(const stream::StreamPtr& s, const aws::CallPtr& call, bool paged) {
  const auto tags = s->record().tags;
  if (!paged) return call->succeed({{"Tags", tags_json(tags)}});
  auto limit = int_member(call, "Limit", 1, 50, 50);
  if (!limit.ok()) return call->fail(limit.error());
  const std::string after = call->input().value("ExclusiveStartTagKey", "");
  stream::format::StringPairs page;
  bool more = false, started = after.empty();
  for (const auto& t : tags) {
    if (!started) {
      started = t.first == after;
      continue;
    }
    if (page.size() == size_t(*limit)) {
      more = true;
      break;
    }
    page.push_back(t);
  }
  call->succeed({{"Tags", tags_json(page)}, {"HasMoreTags", more}});
}

}  // namespace

void add_tags_to_stream(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  auto tags = tags_of(call->input()["Tags"]);
  if (tags.empty() || tags.size() > kTagsPerCall)
    return call->fail({errc::too_large, "Tags", "Member must have length less than or equal to 10", std::nullopt});
  k.streams.update(*s, stream::changes::add_tags(std::move(tags)), answer(call));
}

void remove_tags_from_stream(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  k.streams.update(*s, stream::changes::remove_tags(call->input()["TagKeys"].get<std::vector<std::string>>()),
                   answer(call));
}

void list_tags_for_stream(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  list_tags(*s, call, true);
}

void tag_resource(Kinesis& k, const aws::CallPtr& call) {
  auto s = by_resource(k, call);
  if (!s.ok()) return call->fail(s.error());
  k.streams.update(*s, stream::changes::add_tags(tags_of(call->input()["Tags"])), answer(call));
}

void untag_resource(Kinesis& k, const aws::CallPtr& call) {
  auto s = by_resource(k, call);
  if (!s.ok()) return call->fail(s.error());
  k.streams.update(*s, stream::changes::remove_tags(call->input()["TagKeys"].get<std::vector<std::string>>()),
                   answer(call));
}

void list_tags_for_resource(Kinesis& k, const aws::CallPtr& call) {
  auto s = by_resource(k, call);
  if (!s.ok()) return call->fail(s.error());
  list_tags(*s, call, false);
}

}  // namespace sluice::kinesis
