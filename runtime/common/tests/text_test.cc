#include "runtime/common/text.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(Text, ParsesOnlyWholeIntegers) {
  EXPECT_EQ(parse_int64("42"), 42);
  EXPECT_EQ(parse_int64("-7"), -7);
  EXPECT_FALSE(parse_int64(""));
  EXPECT_FALSE(parse_int64("4x"));
  EXPECT_FALSE(parse_int64(" 4"));
  EXPECT_FALSE(parse_int64("99999999999999999999"));
}

TEST(Text, MessageTextAcceptsTheSqsCharacterSet) {
  EXPECT_TRUE(is_valid_message_text("plain ascii\t\r\n"));
  EXPECT_TRUE(is_valid_message_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_TRUE(is_valid_message_text("\xef\xbf\xbd"));                               // U+FFFD
}

TEST(Text, MessageTextRejectsControlCharactersAndBadUtf8) {
  EXPECT_FALSE(is_valid_message_text(std::string("a\0b", 3)));
  EXPECT_FALSE(is_valid_message_text("\x01"));
  EXPECT_FALSE(is_valid_message_text("\xef\xbf\xbf"));      // U+FFFF
  EXPECT_FALSE(is_valid_message_text("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_message_text("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_message_text("\xc3"));              // truncated
  EXPECT_FALSE(is_valid_message_text("\xf4\x90\x80\x80"));  // above U+10FFFF
}

// The word-at-a-time ASCII path must see a bad byte at every offset of a word,
// and hand multi-byte characters that straddle words to the careful path.
TEST(Text, MessageTextChecksEveryByteOfLongAsciiRuns) {
  const std::string ascii(40, 'x');
  EXPECT_TRUE(is_valid_message_text(ascii + "\x7f~ \t"));
  for (size_t at = 0; at < ascii.size(); ++at)
    for (char bad : {'\0', '\x01', '\x1f', '\x0b'}) {
      std::string s = ascii;
      s[at] = bad;
      EXPECT_FALSE(is_valid_message_text(s)) << "byte " << int(bad) << " at " << at;
    }
  for (size_t at = 0; at + 3 < ascii.size(); ++at) {
    std::string s = ascii;
    s.replace(at, 3, "\xe2\x82\xac");  // €
    EXPECT_TRUE(is_valid_message_text(s)) << at;
    s.replace(at, 3, "\xef\xbf\xbf");  // U+FFFF
    EXPECT_FALSE(is_valid_message_text(s)) << at;
  }
}

TEST(Text, Utf8IsCheckedWhole) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));  // NUL is UTF-8, if not SQS text
  EXPECT_FALSE(is_valid_utf8("caf\xc3"));              // truncated at the end
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));         // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));             // overlong
}

TEST(Text, PadsDecimals) {
  EXPECT_EQ(pad_decimal(42, 5), "00042");
  EXPECT_EQ(pad_decimal(123456, 3), "123456");
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(Text, Utf8SequenceLengthFollowsRfc3629) {
  EXPECT_EQ(utf8_sequence_length("a", 0), 1u);
  EXPECT_EQ(utf8_sequence_length("\xC3\xA9", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("\xE2\x82\xAC", 0), 3u);
  EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x98\x80", 0), 4u);
  EXPECT_EQ(utf8_sequence_length("x\xF4\x8F\xBF\xBF", 1), 4u);  // U+10FFFF, the last code point
  EXPECT_EQ(utf8_sequence_length("", 0), 0u);
  EXPECT_EQ(utf8_sequence_length("\xC3", 0), 0u);              // truncated
  EXPECT_EQ(utf8_sequence_length("\xC0\xAF", 0), 0u);          // overlong
  EXPECT_EQ(utf8_sequence_length("\xE0\x80\xAF", 0), 0u);      // overlong
  EXPECT_EQ(utf8_sequence_length("\xED\xA0\x80", 0), 0u);      // a surrogate
  EXPECT_EQ(utf8_sequence_length("\xF4\x90\x80\x80", 0), 0u);  // above U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\x80", 0), 0u);              // a continuation byte alone
  EXPECT_EQ(utf8_sequence_length("\xFF", 0), 0u);
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(Text, Utf8LengthCountsCharactersNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("h\xC3\xA9llo"), 5u);      // é is two bytes
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80"), 1u);  // one emoji, four bytes
}

}  // namespace
}  // namespace sluice
