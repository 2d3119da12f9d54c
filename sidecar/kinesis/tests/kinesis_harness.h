#pragma once
// The Kinesis front end through the generic endpoint, in process: the stream
// engine on an in-memory store with a manual clock, driven in AWS JSON 1.1 and
// in CBOR, the way the SDKs send them.

#include <gtest/gtest.h>

#include "runtime/common/base64.h"
#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/storage/memory_store.h"
#include "sidecar/aws/testing/harness.h"
#include "sidecar/kinesis/kinesis_service.h"
#include "sidecar/protocol/cbor_codec.h"

namespace sluice::kinesis::testing {

using aws::testing::Harness;
using aws::testing::Reply;
using json = nlohmann::json;

class KinesisHarness : public ::testing::Test {
 protected:
  static stream::StreamServiceOptions options() {
    stream::StreamServiceOptions o;
    o.durability = storage::Durability::memory;
    return o;
  }

  Reply call(const std::string& action, const json& input) { return h_.call(action, input); }

  // The same call in CBOR, as the Java SDK sends it; the reply read back into a document.
  Reply cbor_raw(const std::string& action, const json& input) {
    server::HttpRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers = {{"x-amz-target", "Kinesis_20131202." + action},
                 {"content-type", "application/x-amz-cbor-1.1"},
                 {"authorization", Harness::authorization({}, "kinesis")}};
    r.body = protocol::write_cbor(input, kinesis_model().operation(action)->input);
    return h_.raw(std::move(r));
  }
  json cbor_call(const std::string& action, const json& input, int expect_status = 200) {
    auto reply = cbor_raw(action, input);
    EXPECT_EQ(reply.status, expect_status) << reply.text;
    EXPECT_EQ(reply.content_type, "application/x-amz-cbor-1.1");
    auto doc = protocol::read_cbor(reply.text);
    EXPECT_TRUE(doc) << "the reply is CBOR";
    return doc ? *doc : json();
  }

  std::string iterator(const std::string& stream, const std::string& shard, const std::string& type = "TRIM_HORIZON") {
    auto r = call("GetShardIterator", {{"StreamName", stream}, {"ShardId", shard}, {"ShardIteratorType", type}});
    EXPECT_EQ(r.status, 200) << r.text;
    return r.body.value("ShardIterator", "");
  }

  ManualClock clock_;
  sluice::testing::ManualScheduler scheduler_{clock_};
  storage::MemoryStore store_;
  stream::StreamService streams_{options(), store_, clock_, scheduler_};
  KinesisService service_{streams_, clock_};
  Harness h_{{&service_}};
};

}  // namespace sluice::kinesis::testing
