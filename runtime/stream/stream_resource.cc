#include "runtime/stream/stream_resource.h"

#include "runtime/stream/spec.h"

namespace sluice::stream {
namespace {

using resource::json;

// A spec that passed resource::validate() and still does not parse is the engine's fault.
Result<CreateRequest, Error> request_of(const resource::Placement& where, const std::string& name, const json& spec) {
  std::vector<resource::SpecError> errors;
  StreamSpec s = parse_stream_spec(spec, name, errors);
  if (!errors.empty()) return fail(errc::invalid_argument, errors.front().field, errors.front().message);
  CreateRequest r;
  r.key = {where.region, where.account, s.stream_name};
  r.resource = name;
  auto& settings = r.settings;
  settings.mode = s.on_demand ? format::Mode::on_demand : format::Mode::provisioned;
  settings.shard_count = s.shard_count;
  settings.retention_hours = s.retention_hours;
  settings.max_record_kib = s.max_record_kib;
  settings.encryption_key = s.encryption_key;
  settings.fidelity = s.fidelity;
  settings.tags = s.tags;
  settings.consumers = s.consumers;
  return r;
}

}  // namespace

const resource::KindDef& StreamResources::kind() const { return stream_kind(); }

json StreamResources::status_of(Stream& s) {
  const StreamView v = s.view();
  return {{"streamName", v.key.name},
          {"streamArn", v.arn},
          {"accountId", v.key.account},
          {"streamStatus", "ACTIVE"},
          {"streamMode", v.record.mode == format::Mode::on_demand ? "ON_DEMAND" : "PROVISIONED"},
          {"shardCount", v.shards.size()},
          {"openShards", v.open_shards},
          {"retentionPeriodHours", v.record.retention_hours},
          {"consumers", v.record.consumers.size()},
          {"incomingRecords", s.counters().incoming_records.load()}};
}

sluice::Status<Error> StreamResources::check(const resource::Placement& where, const std::string& name,
                                             const json& spec, const resource::PendingLookup&) const {
  auto r = request_of(where, name, spec);
  if (!r.ok()) return Failure<Error>{r.error()};
  return streams_.check_apply(*r);
}

void StreamResources::apply(const resource::Placement& where, const std::string& name, const json& spec,
                            resource::ApplyDone done) {
  auto r = request_of(where, name, spec);
  if (!r.ok()) return done(Failure<Error>{r.error()});
  streams_.apply_stream(std::move(*r), [done = std::move(done)](Result<StreamPtr, Error> s) {
    if (!s.ok()) return done(Failure<Error>{s.error()});
    done(status_of(**s));
  });
}

std::optional<json> StreamResources::status(const resource::Placement& where, const std::string& name) const {
  auto s = streams_.find(StreamKey{where.region, where.account, name}.arn());
  if (!s) return std::nullopt;
  return status_of(*s);
}

void StreamResources::remove(const resource::Placement& where, const std::string& name, resource::RemoveDone done) {
  auto s = streams_.find(StreamKey{where.region, where.account, name}.arn());
  if (!s) return done({});
  streams_.delete_stream(s, true, std::move(done));
}

std::vector<json> StreamResources::list(const std::string&) const {
  std::vector<json> out;
  for (const auto& s : streams_.all()) out.push_back(status_of(*s));
  return out;
}

}  // namespace sluice::stream
