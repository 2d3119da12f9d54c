// Kinesis through the generic endpoint, in process: the stream engine on an
// in-memory store with a manual clock, driven in AWS JSON 1.1 and in CBOR, the
// way the SDKs send them.

#include "sidecar/kinesis/tests/kinesis_harness.h"

namespace sluice::kinesis {
namespace {

using testing::KinesisHarness;
using json = nlohmann::json;

TEST_F(KinesisHarness, PutThenGetRoundTripsDataAndOrderInJson) {
  ASSERT_EQ(call("CreateStream", {{"StreamName", "orders"}, {"ShardCount", 2}}).status, 200);
  std::vector<std::string> seqs;
  for (int i = 0; i < 5; ++i) {
    auto r = call(
        "PutRecord",
        {{"StreamName", "orders"}, {"PartitionKey", "customer-1"}, {"Data", base64_encode("r" + std::to_string(i))}});
    ASSERT_EQ(r.status, 200) << r.text;
    EXPECT_EQ(r.body["EncryptionType"], "NONE");
    seqs.push_back(r.body["SequenceNumber"]);
  }
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  const std::string shard =
      call("PutRecord", {{"StreamName", "orders"}, {"PartitionKey", "customer-1"}, {"Data", base64_encode("x")}})
          .body["ShardId"];
  auto got = call("GetRecords", {{"ShardIterator", iterator("orders", shard)}});
  ASSERT_EQ(got.status, 200) << got.text;
  ASSERT_EQ(got.body["Records"].size(), 6u);
  EXPECT_EQ(base64_decode(got.body["Records"][0]["Data"].get<std::string>()), "r0");
  EXPECT_EQ(got.body["Records"][0]["PartitionKey"], "customer-1");
  EXPECT_TRUE(got.body["Records"][0]["ApproximateArrivalTimestamp"].is_number());
  EXPECT_EQ(got.body["MillisBehindLatest"], 0);
  EXPECT_TRUE(got.body.contains("NextShardIterator"));
}

TEST_F(KinesisHarness, CborCarriesBlobsAsByteStringsAndTimestampsAsTags) {
  ASSERT_EQ(cbor_call("CreateStream", {{"StreamName", "binary"}, {"ShardCount", 1}}).size(), 0u);
  const std::string raw("\x00\x01\xfe\xff", 4);
  auto put = cbor_call("PutRecord", {{"StreamName", "binary"}, {"PartitionKey", "k"}, {"Data", base64_encode(raw)}});
  EXPECT_EQ(put["ShardId"], "shardId-000000000000");
  auto it =
      cbor_call("GetShardIterator",
                {{"StreamName", "binary"}, {"ShardId", "shardId-000000000000"}, {"ShardIteratorType", "TRIM_HORIZON"}});
  auto got = cbor_call("GetRecords", {{"ShardIterator", it["ShardIterator"]}});
  ASSERT_EQ(got["Records"].size(), 1u);
  // read_cbor gives blobs back as base64 and timestamps as their epoch seconds.
  EXPECT_EQ(base64_decode(got["Records"][0]["Data"].get<std::string>()), raw);
  EXPECT_TRUE(got["Records"][0]["ApproximateArrivalTimestamp"].is_number());
  // Errors come back in CBOR too, with the shape in __type.
  auto missing = cbor_call("DescribeStream", {{"StreamName", "nope"}}, 400);
  EXPECT_EQ(missing["__type"], "ResourceNotFoundException");
}

TEST_F(KinesisHarness, PutRecordsReportsEachRecordAndRefusesBadInput) {
  call("CreateStream", {{"StreamName", "batch"}, {"ShardCount", 4}});
  json records = json::array();
  for (int i = 0; i < 10; ++i)
    records.push_back({{"PartitionKey", "k" + std::to_string(i)}, {"Data", base64_encode("d")}});
  auto r = call("PutRecords", {{"StreamName", "batch"}, {"Records", records}});
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["FailedRecordCount"], 0);
  EXPECT_EQ(r.body["Records"].size(), 10u);
  json too_many = json::array();
  for (int i = 0; i < 501; ++i) too_many.push_back({{"PartitionKey", "k"}, {"Data", ""}});
  EXPECT_EQ(call("PutRecords", {{"StreamName", "batch"}, {"Records", too_many}}).code, "ValidationException");
  const std::string big(1 << 20, 'x');
  auto large = call("PutRecord", {{"StreamName", "batch"}, {"PartitionKey", "k"}, {"Data", base64_encode(big)}});
  EXPECT_EQ(large.code, "ValidationException") << "1 MiB of data plus the key is over the default limit";
  EXPECT_EQ(call("PutRecord", {{"StreamName", "batch"}, {"PartitionKey", ""}, {"Data", ""}}).code,
            "ValidationException");
  EXPECT_EQ(call("PutRecord", {{"StreamName", "batch"}, {"PartitionKey", "k"}, {"Data", "%%%"}}).code,
            "InvalidArgumentException");
  EXPECT_EQ(
      call("PutRecord", {{"StreamName", "batch"}, {"PartitionKey", "k"}, {"Data", ""}, {"ExplicitHashKey", "-1"}}).code,
      "InvalidArgumentException");
  EXPECT_EQ(call("PutRecord", {{"StreamName", "nope"}, {"PartitionKey", "k"}, {"Data", ""}}).code,
            "ResourceNotFoundException");
  EXPECT_EQ(call("PutRecord", {{"PartitionKey", "k"}, {"Data", ""}}).code, "InvalidArgumentException");
}

TEST_F(KinesisHarness, IteratorErrorsAreAwss) {
  call("CreateStream", {{"StreamName", "it"}, {"ShardCount", 1}});
  EXPECT_EQ(call("GetRecords", {{"ShardIterator", "bogus"}}).code, "InvalidArgumentException");
  const std::string it = iterator("it", "shardId-000000000000");
  clock_.advance(5 * 60 * 1000 + 1);
  EXPECT_EQ(call("GetRecords", {{"ShardIterator", it}}).code, "ExpiredIteratorException");
  EXPECT_EQ(call("GetShardIterator",
                 {{"StreamName", "it"}, {"ShardId", "shardId-000000000009"}, {"ShardIteratorType", "LATEST"}})
                .code,
            "ResourceNotFoundException");
  EXPECT_EQ(
      call("GetShardIterator",
           {{"StreamName", "it"}, {"ShardId", "shardId-000000000000"}, {"ShardIteratorType", "AT_SEQUENCE_NUMBER"}})
          .code,
      "InvalidArgumentException");
  EXPECT_EQ(call("GetRecords", {{"ShardIterator", iterator("it", "shardId-000000000000")}, {"Limit", 10001}}).code,
            "ValidationException");
}

TEST_F(KinesisHarness, DescribeAndListShowReshardingLineage) {
  call("CreateStream", {{"StreamName", "reshard"}, {"ShardCount", 1}});
  ASSERT_EQ(call("SplitShard", {{"StreamName", "reshard"},
                                {"ShardToSplit", "shardId-000000000000"},
                                {"NewStartingHashKey", "170141183460469231731687303715884105728"}})
                .status,
            200);
  auto d = call("DescribeStream", {{"StreamName", "reshard"}});
  ASSERT_EQ(d.body["StreamDescription"]["Shards"].size(), 3u);
  const auto& parent = d.body["StreamDescription"]["Shards"][0];
  EXPECT_TRUE(parent["SequenceNumberRange"].contains("EndingSequenceNumber"));
  EXPECT_EQ(d.body["StreamDescription"]["Shards"][1]["ParentShardId"], "shardId-000000000000");
  auto open = call("ListShards", {{"StreamName", "reshard"}, {"ShardFilter", {{"Type", "AT_LATEST"}}}});
  EXPECT_EQ(open.body["Shards"].size(), 2u);
  auto summary = call("DescribeStreamSummary", {{"StreamName", "reshard"}});
  EXPECT_EQ(summary.body["StreamDescriptionSummary"]["OpenShardCount"], 2);
  auto update = call("UpdateShardCount",
                     {{"StreamName", "reshard"}, {"TargetShardCount", 4}, {"ScalingType", "UNIFORM_SCALING"}});
  EXPECT_EQ(update.body["TargetShardCount"], 4);
  EXPECT_EQ(
      call("UpdateShardCount", {{"StreamName", "reshard"}, {"TargetShardCount", 9}, {"ScalingType", "UNIFORM_SCALING"}})
          .code,
      "LimitExceededException");
  auto paged = call("ListShards", {{"StreamName", "reshard"}, {"MaxResults", 2}});
  ASSERT_TRUE(paged.body.contains("NextToken"));
  auto rest = call("ListShards", {{"NextToken", paged.body["NextToken"]}, {"MaxResults", 100}});
  EXPECT_EQ(paged.body["Shards"].size() + rest.body["Shards"].size(),
            call("ListShards", {{"StreamName", "reshard"}}).body["Shards"].size());
}

TEST_F(KinesisHarness, ConsumersTagsRetentionAndEncryptionAreRecordedAndReported) {
  call("CreateStream", {{"StreamName", "misc"}, {"ShardCount", 1}, {"Tags", {{"team", "a"}}}});
  const std::string arn =
      call("DescribeStreamSummary", {{"StreamName", "misc"}}).body["StreamDescriptionSummary"]["StreamARN"];
  EXPECT_EQ(arn, "arn:aws:kinesis:us-east-1:000000000000:stream/misc");
  auto c = call("RegisterStreamConsumer", {{"StreamARN", arn}, {"ConsumerName", "app"}});
  ASSERT_EQ(c.status, 200) << c.text;
  EXPECT_EQ(c.body["Consumer"]["ConsumerStatus"], "ACTIVE");
  const std::string consumer_arn = c.body["Consumer"]["ConsumerARN"];
  EXPECT_EQ(call("DescribeStreamConsumer", {{"ConsumerARN", consumer_arn}}).body["ConsumerDescription"]["StreamARN"],
            arn);
  EXPECT_EQ(call("ListStreamConsumers", {{"StreamARN", arn}}).body["Consumers"].size(), 1u);
  EXPECT_EQ(call("DeleteStream", {{"StreamName", "misc"}}).code, "ResourceInUseException");
  EXPECT_EQ(call("ListTagsForStream", {{"StreamName", "misc"}}).body["Tags"][0]["Key"], "team");
  EXPECT_EQ(call("IncreaseStreamRetentionPeriod", {{"StreamName", "misc"}, {"RetentionPeriodHours", 12}}).code,
            "InvalidArgumentException");
  ASSERT_EQ(call("IncreaseStreamRetentionPeriod", {{"StreamName", "misc"}, {"RetentionPeriodHours", 48}}).status, 200);
  ASSERT_EQ(
      call("StartStreamEncryption", {{"StreamName", "misc"}, {"EncryptionType", "KMS"}, {"KeyId", "alias/aws/kinesis"}})
          .status,
      200);
  auto s = call("DescribeStreamSummary", {{"StreamName", "misc"}}).body["StreamDescriptionSummary"];
  EXPECT_EQ(s["RetentionPeriodHours"], 48);
  EXPECT_EQ(s["EncryptionType"], "KMS");
  EXPECT_EQ(s["ConsumerCount"], 1);
  EXPECT_EQ(call("PutRecord", {{"StreamName", "misc"}, {"PartitionKey", "k"}, {"Data", ""}}).body["EncryptionType"],
            "KMS");
  ASSERT_EQ(call("DeleteStream", {{"StreamName", "misc"}, {"EnforceConsumerDeletion", true}}).status, 200);
  EXPECT_EQ(call("ListStreams", json::object()).body["StreamNames"].size(), 0u);
}

}  // namespace
}  // namespace sluice::kinesis
