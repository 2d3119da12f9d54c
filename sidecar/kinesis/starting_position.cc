#include "sidecar/kinesis/starting_position.h"

#include <cmath>

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

Result<stream::IteratorRequest, Error> starting_position(const nlohmann::json& in, const PositionMembers& m,
                                                         std::string shard_id) {
  const std::string type_name = in.value(m.type, "");
  auto type = type_of(type_name);
  if (!type)
    return invalid(m.type, type_name,
                   "Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, "
                   "LATEST, AT_TIMESTAMP]");
  stream::IteratorRequest r;
  r.shard_id = std::move(shard_id);
  r.type = *type;
  if (*type == stream::IteratorType::at_sequence || *type == stream::IteratorType::after_sequence) {
    if (!in.contains(m.sequence))
      return invalid(m.sequence, "",
                     std::string(m.sequence) + " must be specified for " + m.type + " " + type_name + ".");
    r.sequence = in[m.sequence];
  }
  if (*type == stream::IteratorType::at_timestamp) {
    if (!in.contains(m.timestamp) || !in[m.timestamp].is_number())
      return invalid(m.timestamp, "", std::string(m.timestamp) + " must be specified for " + m.type + " AT_TIMESTAMP.");
    r.timestamp_ms = TimeMs(std::llround(in[m.timestamp].get<double>() * 1000.0));
  }
  return r;
}

}  // namespace sluice::kinesis
