#include "sidecar/protocol/event_stream.h"

#include <gtest/gtest.h>

#include <boost/crc.hpp>

namespace sluice::protocol {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int c : b) out.push_back(char(c));
  return out;
}

// The event-stream specification's own vector: a message with no headers and no payload.
TEST(EventStream, EncodesTheSpecificationsEmptyMessage) {
  EXPECT_EQ(encode_event({}, ""),
            bytes({0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff}));
}

TEST(EventStream, ASubscribeToShardEventReadsBackWithItsHeaders) {
  const std::string payload = R"({"Records":[],"ContinuationSequenceNumber":"1","MillisBehindLatest":0})";
  const std::string frame = encode_event(
      {{":event-type", "SubscribeToShardEvent"}, {":content-type", "application/json"}, {":message-type", "event"}},
      payload);
  EventStreamMessage m;
  size_t used = 0;
  ASSERT_EQ(decode_event(frame + "next", m, used), EventDecode::ok);
  EXPECT_EQ(used, frame.size());
  EXPECT_EQ(m.header(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(m.header(":message-type"), "event");
  EXPECT_EQ(m.header(":missing"), "");
  EXPECT_EQ(m.payload, payload);
}

TEST(EventStream, TellsIncompleteFromMalformed) {
  const std::string frame = encode_event({{":event-type", "initial-response"}}, "{}");
  EventStreamMessage m;
  size_t used = 0;
  for (size_t n = 0; n < frame.size(); ++n)
    EXPECT_EQ(decode_event(frame.substr(0, n), m, used), EventDecode::incomplete) << n;
  for (size_t at = 0; at < frame.size(); ++at) {  // any flipped bit is caught by one CRC or the other
    std::string bad = frame;
    bad[at] = char(bad[at] ^ 0x10);
    EXPECT_NE(decode_event(bad, m, used), EventDecode::ok) << at;
  }
}

uint32_t crc32(std::string_view s) {
  boost::crc_32_type crc;
  crc.process_bytes(s.data(), s.size());
  return crc.checksum();
}

// A frame around `headers` and `payload`, its lengths and CRCs made here.
std::string frame_of(const std::string& headers, const std::string& payload) {
  std::string frame;
  auto be32 = [&](uint32_t v) {
    for (int i = 3; i >= 0; --i) frame.push_back(char((v >> (8 * i)) & 0xff));
  };
  be32(uint32_t(16 + headers.size() + payload.size()));
  be32(uint32_t(headers.size()));
  be32(crc32(frame));
  frame += headers + payload;
  be32(crc32(frame));
  return frame;
}

TEST(EventStream, ReadsEveryHeaderType) {
  const std::string headers =
      bytes({1, 'b', 0,                                                                    // true
             1, 'c', 2, 0x7f,                                                              // byte
             1, 'i', 4, 0,    0, 0,    7,                                                  // int32
             1, 'y', 6, 0,    2, 0xde, 0xad,                                               // bytes
             1, 's', 7, 0,    1, 'x',                                                      // string
             1, 't', 8, 0,    0, 0,    0,    0, 0, 0, 1,                                   // timestamp
             1, 'u', 9, 1,    2, 3,    4,    5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});  // uuid
  EventStreamMessage m;
  size_t used = 0;
  ASSERT_EQ(decode_event(frame_of(headers, "p"), m, used), EventDecode::ok);
  ASSERT_EQ(m.headers.size(), 7u);
  EXPECT_EQ(m.headers[0].type, EventStreamHeader::bool_true);
  EXPECT_EQ(m.headers[2].value, bytes({0, 0, 0, 7}));
  EXPECT_EQ(m.headers[3].value, bytes({0xde, 0xad}));
  EXPECT_EQ(m.header("s"), "x");
  EXPECT_EQ(m.headers[6].value.size(), 16u);
  EXPECT_EQ(m.payload, "p");
  // An unknown value type, a header running past its section, an empty name: malformed.
  for (const std::string& bad : {bytes({1, 'z', 10}), bytes({1, 's', 7, 0, 9, 'x'}), bytes({0, 0})})
    EXPECT_EQ(decode_event(frame_of(bad, ""), m, used), EventDecode::malformed);
}

}  // namespace
}  // namespace sluice::protocol
