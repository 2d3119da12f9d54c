#include "runtime/stream/spec.h"

namespace sluice::stream {
namespace {

using resource::Field;
using resource::json;
using Type = Field::Type;

bool has(const json& o, const char* key) { return o.is_object() && o.contains(key); }

Field integer(const char* name, const char* doc, int64_t min, int64_t max, int64_t dflt) {
  Field f{name, Type::integer, doc};
  f.min = min;
  f.max = max;
  f.default_value = dflt;
  return f;
}

resource::KindDef make_stream_kind() {
  resource::KindDef k;
  k.kind = "Stream";
  k.plural = "streams";
  k.singular = "stream";
  k.short_names = {"kds"};
  k.description =
      "A Kinesis data stream served by the Sluice runtime: an ordered, replayable log per shard that many consumers "
      "read from their own positions, kept for the retention period. Changing shardCount reshards it in place.";
  k.name_field = "streamName";
  k.address_field = "streamArn";
  Field name{"streamName", Type::string,
             "The Kinesis stream name, for names Kubernetes cannot hold (upper case, underscores); defaults to "
             "metadata.name."};
  name.pattern = "^[a-zA-Z0-9_.-]{1,128}$";
  name.immutable = true;
  Field mode{"streamMode", Type::string,
             "PROVISIONED: shardCount shards. ON_DEMAND: Sluice splits hot shards and merges cold ones as traffic "
             "changes (StreamModeDetails)."};
  mode.values = {"PROVISIONED", "ON_DEMAND"};
  mode.default_value = "PROVISIONED";
  Field encryption{"encryption", Type::object, "Server-side encryption (StartStreamEncryption)."};
  Field enc_type{"type", Type::string, "KMS or NONE."};
  enc_type.values = {"KMS", "NONE"};
  enc_type.default_value = "KMS";
  Field key_id{"keyId", Type::string, "The KMS key id or alias the stream is encrypted with."};
  key_id.max = 2048;
  encryption.fields = {enc_type, key_id};
  encryption.rules.push_back({"self.type == 'NONE' || has(self.keyId)", "keyId is required with type KMS", "keyId",
                              [](const json& self, std::string_view) {
                                return (has(self, "type") && self["type"] == "NONE") || has(self, "keyId");
                              }});
  Field consumers{"consumers", Type::list,
                  "Enhanced fan-out consumers registered on the stream (RegisterStreamConsumer), by name."};
  consumers.max = 20;
  Field consumer{"", Type::string};
  consumer.pattern = "^[a-zA-Z0-9_.-]{1,128}$";
  consumers.items = {consumer};
  Field fidelity{"fidelity", Type::boolean,
                 "Enforce AWS's per-shard limits (1 MiB/s or 1,000 records/s in, 2 MiB/s and 5 GetRecords/s out) "
                 "with ProvisionedThroughputExceededException, to test back-off code."};
  fidelity.default_value = false;
  k.spec = {
      name,
      mode,
      integer("shardCount", "Open shards of a PROVISIONED stream (UpdateShardCount, UNIFORM_SCALING).", 1, 10000, 1),
      integer("retentionPeriodHours", "How long records are kept (24 h to 365 days).", 24, 8760, 24),
      integer("maxRecordSizeInKiB", "The largest record, data and partition key together (UpdateMaxRecordSize).", 1024,
              10240, 1024),
      encryption,
      consumers,
      fidelity,
      resource::tags_field("Stream tags (ListTagsForStream).", 50),
      resource::deletion_policy_field(
          "Delete: deleting the resource deletes the stream and its records. Retain: it stays in the runtime.")};
  k.spec_rules.push_back({"!has(self.streamMode) || self.streamMode != 'ON_DEMAND' || !has(self.shardCount)",
                          "shardCount applies only to PROVISIONED streams", "shardCount",
                          [](const json& s, std::string_view) {
                            return !(has(s, "streamMode") && s["streamMode"] == "ON_DEMAND" && has(s, "shardCount"));
                          }});
  k.status = {
      Field{"streamName", Type::string, "The Kinesis stream name."},
      Field{"streamArn", Type::string, "The stream ARN for the AWS SDKs."},
      Field{"accountId", Type::string, "The account the namespace maps to."},
      Field{"streamStatus", Type::string, "ACTIVE once the stream serves."},
      Field{"streamMode", Type::string, "PROVISIONED or ON_DEMAND."},
      Field{"shardCount", Type::integer, "Shards in the shard table, closed ones still retained included.", 0},
      Field{"openShards", Type::integer, "Open shards: where new records go.", 0},
      Field{"retentionPeriodHours", Type::integer, "How long records are kept.", 0},
      Field{"consumers", Type::integer, "Registered enhanced fan-out consumers.", 0},
      Field{"incomingRecords", Type::integer, "Records put since the runtime started.", 0},
  };
  k.columns = {
      {"ARN", "string", ".status.streamArn", "Stream ARN for the AWS SDKs"},
      {"Mode", "string", ".status.streamMode", "PROVISIONED or ON_DEMAND"},
      {"Open", "integer", ".status.openShards", "Open shards"},
      {"Retention", "integer", ".status.retentionPeriodHours", "Retention in hours", 1},
  };
  return k;
}

}  // namespace

const resource::KindDef& stream_kind() {
  static const resource::KindDef kind = make_stream_kind();
  return kind;
}

StreamSpec parse_stream_spec(const json& spec_in, const std::string& name, std::vector<resource::SpecError>& errors) {
  const json spec = spec_in.is_null() ? json::object() : spec_in;
  StreamSpec out;
  out.stream_name = name;
  auto invalid = resource::validate(stream_kind(), spec, name);
  if (!invalid.empty()) {
    errors.insert(errors.end(), invalid.begin(), invalid.end());
    return out;
  }
  if (has(spec, "streamName")) out.stream_name = spec["streamName"];
  out.on_demand = spec.value("streamMode", "PROVISIONED") == "ON_DEMAND";
  out.shard_count = spec.value("shardCount", 1u);
  out.retention_hours = spec.value("retentionPeriodHours", int64_t(24));
  out.max_record_kib = spec.value("maxRecordSizeInKiB", int64_t(1024));
  if (has(spec, "encryption") && spec["encryption"].value("type", "KMS") == "KMS")
    out.encryption_key = spec["encryption"].value("keyId", "");
  out.fidelity = spec.value("fidelity", false);
  if (has(spec, "tags"))
    for (const auto& [k, v] : spec["tags"].items()) out.tags.emplace_back(k, v.get<std::string>());
  if (has(spec, "consumers"))
    for (const auto& c : spec["consumers"]) out.consumers.push_back(c.get<std::string>());
  return out;
}

}  // namespace sluice::stream
