// The one-setting changes: retention, record size, encryption, stream mode,
// enhanced monitoring, resource policies.
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {
namespace {

void retention(Kinesis& k, const aws::CallPtr& call, bool increase) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  k.streams.update(*s, stream::changes::retention(call->input()["RetentionPeriodHours"].get<int64_t>(), increase),
                   answer(call));
}

void monitoring(Kinesis& k, const aws::CallPtr& call, bool enable) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  auto stream = *s;
  const auto current = stream->record().shard_metrics;
  k.streams.update(
      stream,
      stream::changes::shard_metrics(call->input()["ShardLevelMetrics"].get<std::vector<std::string>>(), enable),
      [call, stream, current](Status<Error> st) {
        if (!st.ok()) return call->fail(st.error());
        call->succeed({{"StreamName", stream->key().name},
                       {"StreamARN", stream->arn()},
                       {"CurrentShardLevelMetrics", current},
                       {"DesiredShardLevelMetrics", stream->record().shard_metrics}});
      });
}

Result<stream::StreamPtr, Error> policy_stream(Kinesis& k, const aws::CallPtr& call) {
  const std::string arn = call->input()["ResourceARN"];
  const auto consumer = arn.find("/consumer/");
  auto s = k.streams.find(consumer == std::string::npos ? arn : arn.substr(0, consumer));
  if (!s || s->key().account != call->context().account)
    return fail(errc::not_found, "ResourceARN", "Resource " + arn + " not found.");
  return s;
}

}  // namespace

void increase_stream_retention_period(Kinesis& k, const aws::CallPtr& call) { retention(k, call, true); }
void decrease_stream_retention_period(Kinesis& k, const aws::CallPtr& call) { retention(k, call, false); }
void enable_enhanced_monitoring(Kinesis& k, const aws::CallPtr& call) { monitoring(k, call, true); }
void disable_enhanced_monitoring(Kinesis& k, const aws::CallPtr& call) { monitoring(k, call, false); }

void update_max_record_size(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  k.streams.update(*s, stream::changes::max_record_size(call->input()["MaxRecordSizeInKiB"].get<int64_t>()),
                   answer(call));
}

void start_stream_encryption(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  const std::string type = call->input()["EncryptionType"];
  if (type != "KMS")
    return call->fail(invalid("EncryptionType", type, "EncryptionType must be KMS to start encryption.").error);
  auto key = text_member(call, "KeyId", 1, 2048);
  if (!key.ok()) return call->fail(key.error());
  k.streams.update(*s, stream::changes::encryption(*key), answer(call));
}

void stop_stream_encryption(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  if ((*s)->record().encryption_key.empty())
    return call->fail({errc::state_conflict, "EncryptionType", "The stream is not encrypted.", std::nullopt});
  k.streams.update(*s, stream::changes::encryption(""), answer(call));
}

void update_stream_mode(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call, "StreamName", "StreamARN");
  if (!s.ok()) return call->fail(s.error());
  const std::string mode = call->input()["StreamModeDetails"].value("StreamMode", "");
  if (mode != "PROVISIONED" && mode != "ON_DEMAND")
    return call->fail(
        invalid("StreamModeDetails.StreamMode", mode, "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]")
            .error);
  k.streams.update(
      *s,
      stream::changes::mode(mode == "ON_DEMAND" ? stream::format::Mode::on_demand : stream::format::Mode::provisioned),
      answer(call));
}

void put_resource_policy(Kinesis& k, const aws::CallPtr& call) {
  auto s = policy_stream(k, call);
  if (!s.ok()) return call->fail(s.error());
  const std::string policy = call->input()["Policy"];
  if (!nlohmann::json::accept(policy))
    return call->fail(invalid("Policy", "", "The policy is not a valid JSON document.").error);
  k.streams.update(*s, stream::changes::policy(policy), answer(call));
}

void get_resource_policy(Kinesis& k, const aws::CallPtr& call) {
  auto s = policy_stream(k, call);
  if (!s.ok()) return call->fail(s.error());
  const std::string policy = (*s)->record().policy;
  call->succeed({{"Policy", policy.empty() ? "{}" : policy}});
}

void delete_resource_policy(Kinesis& k, const aws::CallPtr& call) {
  auto s = policy_stream(k, call);
  if (!s.ok()) return call->fail(s.error());
  if ((*s)->record().policy.empty())
    return call->fail({errc::not_found, "ResourceARN", "The resource has no policy.", std::nullopt});
  k.streams.update(*s, stream::changes::policy(""), answer(call));
}

}  // namespace sluice::kinesis
