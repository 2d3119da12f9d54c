#include <cmath>

#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {
namespace {

std::optional<stream::IteratorType> type_of(const std::string& t) {
  using T = stream::IteratorType;
  if (t == "TRIM_HORIZON") return T::trim_horizon;
  if (t == "LATEST") return T::latest;
  if (t == "AT_SEQUENCE_NUMBER") return T::at_sequence;
  if (t == "AFTER_SEQUENCE_NUMBER") return T::after_sequence;
  if (t == "AT_TIMESTAMP") return T::at_timestamp;
  return std::nullopt;
}

}  // namespace

void get_shard_iterator(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call);
  if (!s.ok()) return call->fail(s.error());
  const auto& in = call->input();
  const std::string type_name = in["ShardIteratorType"];
  auto type = type_of(type_name);
  if (!type)
    return call->fail(invalid("ShardIteratorType", type_name,
                              "Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, "
                              "TRIM_HORIZON, LATEST, AT_TIMESTAMP]")
                          .error);
  stream::IteratorRequest r;
  r.shard_id = in["ShardId"];
  r.type = *type;
  const bool by_sequence = *type == stream::IteratorType::at_sequence || *type == stream::IteratorType::after_sequence;
  if (by_sequence) {
    if (!in.contains("StartingSequenceNumber"))
      return call->fail(invalid("StartingSequenceNumber", "",
                                "StartingSequenceNumber must be specified for ShardIteratorType " + type_name + ".")
                            .error);
    r.sequence = in["StartingSequenceNumber"];
  }
  if (*type == stream::IteratorType::at_timestamp) {
    if (!in.contains("Timestamp") || !in["Timestamp"].is_number())
      return call->fail(
          invalid("Timestamp", "", "Timestamp must be specified for ShardIteratorType AT_TIMESTAMP.").error);
    r.timestamp_ms = TimeMs(std::llround(in["Timestamp"].get<double>() * 1000.0));
  }
  auto it = (*s)->iterator(r);
  if (!it.ok()) return call->fail(it.error());
  call->succeed({{"ShardIterator", *it}});
}

}  // namespace sluice::kinesis
