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
  EXPECT_TRUE(is_valid_message_text("\xef\xbf\xbd"));                              // U+FFFD
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

TEST(Text, PadsDecimals) {
  EXPECT_EQ(pad_decimal(42, 5), "00042");
  EXPECT_EQ(pad_decimal(123456, 3), "123456");
}

}  // namespace
}  // namespace sluice
