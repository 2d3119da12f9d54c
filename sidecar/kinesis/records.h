#pragma once
// The shared part of PutRecord and PutRecords: one input record checked against
// the stream's limits and turned into what the engine puts; and how a put's
// outcome reads on the wire.

#include <nlohmann/json.hpp>

#include "runtime/stream/stream.h"

namespace sluice::kinesis {

// `member` names the record in errors ("Data", "Records.3.Data").
Result<stream::PutEntry, Error> put_entry(const nlohmann::json& record, const stream::Stream& stream,
                                          const std::string& member);
const char* encryption_type(bool encrypted);
// Records and child shards as GetRecords and SubscribeToShard events carry them.
nlohmann::json records_json(const std::vector<stream::ReadRecord>& records);
nlohmann::json children_json(const std::vector<stream::ChildShard>& children);

}  // namespace sluice::kinesis
