#pragma once
// Where a read starts, as GetShardIterator (ShardIteratorType,
// StartingSequenceNumber, Timestamp) and SubscribeToShard's StartingPosition
// (Type, SequenceNumber, Timestamp) both say it.

#include <nlohmann/json.hpp>

#include "runtime/stream/stream.h"

namespace sluice::kinesis {

struct PositionMembers {
  const char* type;
  const char* sequence;
  const char* timestamp;
};
inline constexpr PositionMembers kIteratorMembers{"ShardIteratorType", "StartingSequenceNumber", "Timestamp"};
inline constexpr PositionMembers kStartingPositionMembers{"Type", "SequenceNumber", "Timestamp"};

// `in` holds the members; the request's shard is `shard_id`.
Result<stream::IteratorRequest, Error> starting_position(const nlohmann::json& in, const PositionMembers& members,
                                                         std::string shard_id);

}  // namespace sluice::kinesis
