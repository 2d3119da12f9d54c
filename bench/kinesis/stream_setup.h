#pragma once

// Makes the stream a scenario runs on and learns its shards, with the blocking
// client: CreateStream (or reuse one of that name), wait until ACTIVE, ListShards.

#include "bench/sqs/blocking_client.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sluice::bench {

// One Kinesis call, one request at a time.
BlockingClient::Reply kinesis_call(BlockingClient& client, std::string_view op, std::string_view body,
                                   double timeout_s = 30);

struct StreamInfo {
  bool ok = false;
  std::string error;  // why not, for the run's error_samples
  bool created = false;
  double active_seconds = 0;  // from CreateStream to ACTIVE
  std::vector<std::string> shard_ids;
};

StreamInfo ensure_stream(BlockingClient& client, const std::string& stream, int shards, double timeout_s);

// The shard ids of `stream` (every page of ListShards); empty and `error` set on failure.
std::vector<std::string> list_shards(BlockingClient& client, const std::string& stream, std::string& error,
                                     double timeout_s = 30);

// Makes `out` a scenario's error result: status, errors, error_samples.
void fail_run(nlohmann::json& out, const std::string& status, const std::string& why);

}  // namespace sluice::bench
