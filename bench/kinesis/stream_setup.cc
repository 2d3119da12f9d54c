#include "bench/kinesis/stream_setup.h"

#include "bench/kinesis/kinesis_json.h"
#include "bench/sqs/loadgen_common.h"

#include <thread>

namespace sluice::bench {

BlockingClient::Reply kinesis_call(BlockingClient& client, std::string_view op, std::string_view body,
                                   double timeout_s) {
  return client.call_raw(kinesis::request(client.host_port(), op, body), timeout_s);
}

std::vector<std::string> list_shards(BlockingClient& client, const std::string& stream, std::string& error,
                                     double timeout_s) {
  std::vector<std::string> ids;
  std::string next;
  for (int page = 0; page < 1000; ++page) {
    std::string body = next.empty() ? kinesis::stream_name_body(stream) : "{\"NextToken\":\"" + next + "\"}";
    auto r = kinesis_call(client, "ListShards", body, timeout_s);
    if (!r.ok()) {
      error = "ListShards: " + r.describe();
      return {};
    }
    auto page_ids = kinesis::all_strings(r.body, "ShardId");
    // Shards' parents are named in ParentShardId, not ShardId, so these are the shards.
    ids.insert(ids.end(), page_ids.begin(), page_ids.end());
    next = std::string(kinesis::first_string(r.body, "NextToken"));
    if (next.empty()) break;
  }
  if (ids.empty()) error = "ListShards returned no shard";
  return ids;
}

StreamInfo ensure_stream(BlockingClient& client, const std::string& stream, int shards, double timeout_s) {
  StreamInfo info;
  auto begin = Clock::now();
  auto created = kinesis_call(client, "CreateStream", kinesis::create_stream_body(stream, shards));
  if (created.ok()) {
    info.created = true;
  } else if (created.body.find("ResourceInUseException") == std::string::npos) {
    info.error = "CreateStream: " + created.describe();
    return info;
  }
  auto deadline = begin + seconds(timeout_s);
  std::string status;
  for (;;) {
    auto r = kinesis_call(client, "DescribeStreamSummary", kinesis::stream_name_body(stream));
    status =
        r.ok() ? std::string(kinesis::first_string(r.body, "StreamStatus")) : "DescribeStreamSummary: " + r.describe();
    if (status == "ACTIVE") break;
    if (Clock::now() > deadline) {
      info.error = "stream not ACTIVE after " + std::to_string(timeout_s) + " s: " + status;
      return info;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  info.active_seconds = seconds_between(begin, Clock::now());
  info.shard_ids = list_shards(client, stream, info.error);
  info.ok = !info.shard_ids.empty();
  return info;
}

void fail_run(nlohmann::json& out, const std::string& status, const std::string& why) {
  out["status"] = status;
  out["errors"] = 1;
  out["error_samples"] = {{{"count", 1}, {"error", why.substr(0, 300)}}};
}

}  // namespace sluice::bench
