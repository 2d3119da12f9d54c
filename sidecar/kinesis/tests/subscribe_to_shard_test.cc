// SubscribeToShard through the endpoint: the answer's head, the event-stream
// frames it writes (initial-response, then SubscribeToShardEvent in JSON or
// CBOR), the errors before the stream and the exception event that ends one.

#include <gtest/gtest.h>

#include "sidecar/kinesis/tests/kinesis_harness.h"
#include "sidecar/protocol/event_stream.h"

namespace sluice::kinesis {
namespace {

using json = nlohmann::json;

// The client end of a streamed body: what was written, decoded into messages.
class RecordingBody final : public server::BodyWriter {
 public:
  bool write(std::string bytes) override {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    bytes_ += bytes;
    return true;
  }
  void close() override {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  void on_cancel(std::function<void()> fn) override { on_cancel_ = std::move(fn); }
  size_t pending() const override { return 0; }

  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }
  void hang_up() {
    if (on_cancel_) on_cancel_();
  }
  std::vector<protocol::EventStreamMessage> messages() const {
    std::lock_guard lock(mu_);
    std::vector<protocol::EventStreamMessage> out;
    std::string_view rest = bytes_;
    for (;;) {
      protocol::EventStreamMessage m;
      size_t used = 0;
      if (protocol::decode_event(rest, m, used) != protocol::EventDecode::ok) break;
      out.push_back(std::move(m));
      rest.remove_prefix(used);
    }
    EXPECT_TRUE(rest.empty()) << "every byte is part of a whole, well-formed message";
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::string bytes_;
  bool closed_ = false;
  std::function<void()> on_cancel_;
};

class SubscribeToShard : public testing::KinesisHarness {
 protected:
  void SetUp() override {
    ASSERT_EQ(call("CreateStream", {{"StreamName", "clicks"}, {"ShardCount", 1}}).status, 200);
    stream_arn_ =
        call("DescribeStreamSummary", {{"StreamName", "clicks"}}).body["StreamDescriptionSummary"]["StreamARN"];
    auto c = call("RegisterStreamConsumer", {{"StreamARN", stream_arn_}, {"ConsumerName", "app"}});
    ASSERT_EQ(c.status, 200) << c.text;
    consumer_ = c.body["Consumer"]["ConsumerARN"];
  }

  json input(const std::string& type = "TRIM_HORIZON") const {
    return {{"ConsumerARN", consumer_}, {"ShardId", "shardId-000000000000"}, {"StartingPosition", {{"Type", type}}}};
  }

  // Starts the answer's stream into a RecordingBody and runs the pushes due.
  std::shared_ptr<RecordingBody> open(const testing::Reply& reply) {
    EXPECT_EQ(reply.status, 200) << reply.text;
    EXPECT_EQ(reply.content_type, "application/vnd.amazon.eventstream");
    auto body = std::make_shared<RecordingBody>();
    if (reply.stream) reply.stream(body);
    scheduler_.run_pending();
    return body;
  }

  void put(const std::string& data) {
    ASSERT_EQ(
        call("PutRecord", {{"StreamName", "clicks"}, {"PartitionKey", "k"}, {"Data", base64_encode(data)}}).status,
        200);
  }

  std::string stream_arn_, consumer_;
};

TEST_F(SubscribeToShard, StreamsAnInitialResponseThenEventsInJson) {
  put("a");
  auto body = open(call("SubscribeToShard", input()));
  put("b");
  scheduler_.run_pending();
  auto m = body->messages();
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].header(":event-type"), "initial-response");
  EXPECT_EQ(m[0].header(":message-type"), "event");
  std::vector<std::string> data;
  for (size_t i = 1; i < m.size(); ++i) {
    EXPECT_EQ(m[i].header(":event-type"), "SubscribeToShardEvent");
    EXPECT_EQ(m[i].header(":content-type"), "application/x-amz-json-1.1");
    auto event = json::parse(m[i].payload);
    EXPECT_TRUE(event["ContinuationSequenceNumber"].is_string());
    EXPECT_TRUE(event["MillisBehindLatest"].is_number());
    for (const auto& r : event["Records"]) data.push_back(*base64_decode(r["Data"].get<std::string>()));
  }
  EXPECT_EQ(data, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(body->closed());
}

TEST_F(SubscribeToShard, SpeaksCborToACborClient) {
  const std::string raw("\x00\xff", 2);
  put(raw);
  auto body = open(cbor_raw("SubscribeToShard", input()));
  auto m = body->messages();
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].header(":content-type"), "application/x-amz-cbor-1.1");
  auto event = protocol::read_cbor(m[1].payload);
  ASSERT_TRUE(event);
  EXPECT_EQ(*base64_decode((*event)["Records"][0]["Data"].get<std::string>()), raw);
}

TEST_F(SubscribeToShard, RefusesBadRequestsBeforeTheStreamStarts) {
  auto first = call("SubscribeToShard", input());
  ASSERT_EQ(first.status, 200);
  auto second = call("SubscribeToShard", input());
  EXPECT_EQ(second.code, "ResourceInUseException");
  json unknown = input();
  unknown["ConsumerARN"] = stream_arn_ + "/consumer/nobody:1";
  EXPECT_EQ(call("SubscribeToShard", unknown).code, "ResourceNotFoundException");
  json bad_shard = input();
  bad_shard["ShardId"] = "shardId-000000000009";
  EXPECT_EQ(call("SubscribeToShard", bad_shard).code, "ResourceNotFoundException");
  EXPECT_EQ(call("SubscribeToShard", input("SIDEWAYS")).code, "InvalidArgumentException");
  EXPECT_EQ(call("SubscribeToShard", input("AFTER_SEQUENCE_NUMBER")).code, "InvalidArgumentException");
  EXPECT_EQ(call("SubscribeToShard", {{"ConsumerARN", consumer_}}).code, "ValidationException");
}

TEST_F(SubscribeToShard, DeregisteringTheConsumerEndsTheStreamWithAnException) {
  auto body = open(call("SubscribeToShard", input()));
  ASSERT_EQ(call("DeregisterStreamConsumer", {{"ConsumerARN", consumer_}}).status, 200);
  auto m = body->messages();
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.back().header(":message-type"), "exception");
  EXPECT_EQ(m.back().header(":exception-type"), "ResourceNotFoundException");
  EXPECT_TRUE(body->closed());
}

TEST_F(SubscribeToShard, AClientThatHangsUpFreesTheSlotAndTheLifetimeEndsTheStream) {
  auto body = open(call("SubscribeToShard", input()));
  body->hang_up();
  clock_.advance(stream::kTakeoverAfterMs);
  auto again = open(call("SubscribeToShard", input()));
  scheduler_.advance(stream::kSubscriptionLifetimeMs);
  EXPECT_TRUE(again->closed());
  EXPECT_EQ(again->messages().back().header(":event-type"), "SubscribeToShardEvent") << "ended without an error";
}

}  // namespace
}  // namespace sluice::kinesis
