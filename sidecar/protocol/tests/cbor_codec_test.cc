#include "sidecar/protocol/cbor_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::protocol {
namespace {

using json = nlohmann::json;

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int c : b) out.push_back(char(c));
  return out;
}

// A PutRecord-like request and a GetRecords-like reply, as the Kinesis model has them.
struct Shapes {
  Shape blob, timestamp, text, record, records, reply;
  Shapes() {
    blob.type = Shape::Type::blob;
    timestamp.type = Shape::Type::timestamp;
    record.type = Shape::Type::structure;
    record.members = {{"Data", {&blob}}, {"ApproximateArrivalTimestamp", {&timestamp}}, {"PartitionKey", {&text}}};
    records.type = Shape::Type::list;
    records.member = {&record};
    reply.type = Shape::Type::structure;
    reply.members = {{"Records", {&records}}, {"NextShardIterator", {&text}}};
  }
};

TEST(CborCodec, ReadsARequestAsTheJsonProtocolsDocument) {
  // {"StreamName": "s", "Data": h'010203', "At": 1(1700000000)}
  const std::string request =
      bytes({0xa3, 0x6a, 'S', 't',  'r', 'e', 'a', 'm',  'N', 'a', 'm',  'e',  0x61, 's',  0x64, 'D',
             'a',  't',  'a', 0x43, 1,   2,   3,   0x62, 'A', 't', 0xc1, 0x1a, 0x65, 0x53, 0xf1, 0x00});
  auto doc = read_cbor(request);
  ASSERT_TRUE(doc);
  EXPECT_EQ(*doc, json({{"StreamName", "s"}, {"Data", "AQID"}, {"At", 1700000000}}));
}

TEST(CborCodec, ReadsIndefiniteLengthsAndEveryNumberForm) {
  // {_ "a": [_ 1, -2, 1.5 (half), 2.5 (single), 0.1 (double)], "b": (_ "x" "y")}
  const std::string request =
      bytes({0xbf, 0x61, 'a',  0x9f, 0x01, 0x21, 0xf9, 0x3e, 0x00, 0xfa, 0x40, 0x20, 0x00, 0x00, 0xfb, 0x3f, 0xb9,
             0x99, 0x99, 0x99, 0x99, 0x99, 0x9a, 0xff, 0x61, 'b',  0x7f, 0x61, 'x',  0x61, 'y',  0xff, 0xff});
  auto doc = read_cbor(request);
  ASSERT_TRUE(doc);
  EXPECT_EQ(*doc, json::parse(R"({"a": [1, -2, 1.5, 2.5, 0.1], "b": "xy"})"));
}

TEST(CborCodec, RefusesWhatIsNotOneWellFormedItem) {
  for (const std::string& bad : {
           std::string(), bytes({0x62, 'a'}),                              // text shorter than its length
           bytes({0x01, 0x02}),                                            // two items
           bytes({0xa1, 0x01, 0x02}),                                      // a map key that is not text
           bytes({0x62, 0xc3, 0x28}),                                      // text that is not UTF-8
           bytes({0xff}),                                                  // a break outside any container
           bytes({0x1c}),                                                  // a reserved additional-information value
           bytes({0x9f, 0x01}),                                            // an indefinite array never closed
           bytes({0x5f, 0x61, 'a', 0xff}),                                 // a text chunk inside a byte string
           bytes({0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}),  // 2^64-1 items in 9 bytes
           bytes({0xbf, 0x61, 'a', 0xff}),                                 // a key without a value
       })
    EXPECT_FALSE(read_cbor(bad)) << json::binary(std::vector<uint8_t>(bad.begin(), bad.end()));
}

TEST(CborCodec, RefusesNestingDeeperThan512) {
  EXPECT_TRUE(read_cbor(std::string(512, char(0x81)) + char(0x01)));      // 512 arrays of one element
  EXPECT_FALSE(read_cbor(std::string(513, char(0x81)) + char(0x01)));     // 513
  EXPECT_FALSE(read_cbor(std::string(100000, char(0x9f))));               // no recursion, no crash
  EXPECT_FALSE(read_cbor(std::string(100000, char(0xc1)) + char(0x01)));  // tags nest too
}

TEST(CborCodec, WritesBlobsAsByteStringsAndTimestampsAsTag1) {
  Shapes s;
  const json reply = {{"Records",
                       {{{"Data", "AQID"}, {"ApproximateArrivalTimestamp", 1700000000}, {"PartitionKey", "k"}},
                        {{"Data", "BA=="}, {"ApproximateArrivalTimestamp", 1700000000.25}, {"PartitionKey", "k"}}}},
                      {"NextShardIterator", "AQID"}};
  const std::string out = write_cbor(reply, &s.reply);
  EXPECT_NE(out.find(bytes({0x64, 'D', 'a', 't', 'a', 0x43, 1, 2, 3})), std::string::npos);
  EXPECT_NE(out.find(bytes({0xc1, 0x1a, 0x65, 0x53, 0xf1, 0x00})), std::string::npos);
  EXPECT_NE(out.find(bytes({0xc1, 0xfb})), std::string::npos);  // the fractional one, as a double
  // NextShardIterator is a string, not a blob: it stays text even though it looks like base64.
  EXPECT_NE(out.find(bytes({0x64, 'A', 'Q', 'I', 'D'})), std::string::npos);
  // Read back, it is the document again: the byte strings become base64, the tags drop.
  EXPECT_EQ(read_cbor(out), reply);
}

TEST(CborCodec, WritesEveryJsonValue) {
  const json doc =
      json::parse(R"({"n": null, "t": true, "f": false, "u": 18446744073709551615, "i": -9223372036854775808,
                                   "d": -0.5, "s": "caf\u00e9", "a": [[], {}], "e": ""})");
  EXPECT_EQ(read_cbor(write_cbor(doc, nullptr)), doc);
}

}  // namespace
}  // namespace sluice::protocol
