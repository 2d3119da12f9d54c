#pragma once
// What many Kinesis handlers share: the stream a call names (StreamName or
// StreamARN, in the caller's region and account), and the documents the API
// returns for shards, consumers and the stream's mode.

#include <nlohmann/json.hpp>

#include "runtime/stream/stream_service.h"
#include "sidecar/aws/call.h"

namespace sluice::kinesis {

// The stream named by the input's StreamName or StreamARN (members `name` and `arn`).
Result<stream::StreamPtr, Error> find_stream(const stream::StreamService& streams, const aws::CallPtr& call,
                                             const char* name = "StreamName", const char* arn = "StreamARN");

nlohmann::json shard_json(const stream::format::ShardRecord& shard);
nlohmann::json consumer_json(const stream::ConsumerView& consumer);
nlohmann::json mode_json(stream::format::Mode mode);
nlohmann::json tags_json(const stream::format::StringPairs& tags);
double epoch_seconds(TimeMs ms);

}  // namespace sluice::kinesis

namespace sluice::kinesis {

// Input checks the compact model does not carry (lengths and ranges of the
// botocore model): the member's value, or the ValidationException AWS answers.
Result<std::string, Error> text_member(const aws::CallPtr& call, const char* member, size_t min, size_t max);
Result<int64_t, Error> int_member(const aws::CallPtr& call, const char* member, int64_t min, int64_t max,
                                  int64_t fallback);
// A page token of ours: the item to start after, and when it was made (tokens expire after 300 s).
std::string page_token(const std::string& after, TimeMs now);
Result<std::string, Error> page_start(const std::string& token, TimeMs now);

}  // namespace sluice::kinesis
