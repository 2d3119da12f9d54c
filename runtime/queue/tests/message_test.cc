// Message digests (the exact bytes SDKs hash) and the stored blob format.

#include "runtime/queue/message.h"

#include <gtest/gtest.h>

namespace sluice::queue {
namespace {

TEST(MessageDigest, AttributeDigestMatchesTheSdkAlgorithm) {
  // Expected value computed independently (Python hashlib) from the algorithm in
  // the AWS SDKs: sorted names, 4-byte big-endian lengths, type tag 1 or 2.
  MessageAttributes a;
  a["population"] = {"Number", "1250800"};
  a["city"] = {"String", "Any City"};
  a["blob"] = {"Binary", std::string("\x00\x01\x02", 3)};
  EXPECT_EQ(to_hex(md5_of_attributes(a)), "d56d7f52891254695bee0eddeb8079bc");
}

TEST(MessageDigest, CustomTypeLabelsAreHashedAsWritten) {
  MessageAttributes plain, labelled;
  plain["n"] = {"Number", "1"};
  labelled["n"] = {"Number.int", "1"};
  EXPECT_NE(md5_of_attributes(plain), md5_of_attributes(labelled));
}

TEST(MessageBlob, RoundTripsEveryField) {
  MessageBlob b;
  b.body = "body";
  b.attributes["k"] = {"String", "v"};
  b.attributes["bin"] = {"Binary.raw", std::string("\x00\xff", 2)};
  b.trace_header = "Root=1";
  b.sender_id = "AIDA";
  b.deduplication_id = "d";
  b.dead_letter_source_arn = "arn:aws:sqs:us-east-1:000000000000:src";
  b.md5_body = md5(b.body);
  b.md5_attributes = md5_of_attributes(b.attributes);
  auto decoded = decode_blob(encode_blob(b));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->body, b.body);
  EXPECT_EQ(decoded->attributes, b.attributes);
  EXPECT_EQ(decoded->trace_header, b.trace_header);
  EXPECT_EQ(decoded->sender_id, b.sender_id);
  EXPECT_EQ(decoded->deduplication_id, b.deduplication_id);
  EXPECT_EQ(decoded->dead_letter_source_arn, b.dead_letter_source_arn);
  EXPECT_EQ(decoded->md5_attributes, b.md5_attributes);
  EXPECT_FALSE(decoded->md5_system_attributes);
}

TEST(MessageBlob, RejectsTruncatedOrForeignBytes) {
  MessageBlob b;
  b.body = "body";
  std::string bytes = encode_blob(b);
  for (size_t cut = 0; cut < bytes.size(); ++cut) EXPECT_FALSE(decode_blob(bytes.substr(0, cut))) << cut;
  bytes[0] = 9;
  EXPECT_FALSE(decode_blob(bytes));
}

}  // namespace
}  // namespace sluice::queue
