#include "sidecar/protocol/json_reader.h"

#include <gtest/gtest.h>

#include <random>

namespace sluice::protocol {
namespace {

using json = nlohmann::json;

// The reference: what nlohmann's parser makes of the text (nullopt: refused).
std::optional<json> reference(std::string_view text) {
  json v = json::parse(text, nullptr, false);
  if (v.is_discarded()) return std::nullopt;
  return v;
}

void expect_same(std::string_view text) {
  const auto got = read_json(text);
  const auto want = reference(text);
  ASSERT_EQ(got.has_value(), want.has_value()) << "input: " << text;
  if (got) {
    ASSERT_EQ(*got, *want) << "input: " << text;
    ASSERT_EQ(got->dump(), want->dump()) << "input: " << text;  // same number types too
  }
}

TEST(JsonReader, AcceptsAndRefusesWhatNlohmannDoes) {
  for (const char* text : {
           R"({"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"hello"})",
           R"( { "a" : [ 1 , -2 , 3.5 , 1e3 , -0 , 0.0 , 18446744073709551615 , 18446744073709551616 ] } )",
           R"({"t":true,"f":false,"n":null,"o":{},"l":[],"s":""})",
           R"({"esc":"\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \uD83D\uDE00"})",
           R"({"dup":1,"dup":2})",
           R"("just a string")",
           "42",
           "[]",
           // a byte order mark: one, first (the fuzz target found read_json refusing it)
           "\xEF\xBB\xBF{}",
           "\xEF\xBB\xBF 1",
           " \xEF\xBB\xBF"
           "1",
           "\xEF\xBB\xBF\xEF\xBB\xBF"
           "1",
           "\xEF\xBB"
           "1",
           "\xEF\xBB\xBF",
           // refused
           "",
           " ",
           "{",
           "}",
           R"({"a":})",
           R"({"a" 1})",
           R"({"a":1,})",
           "[1,]",
           R"({a:1})",
           "01",
           "1.",
           ".5",
           "1e",
           "-",
           "+1",
           "0x10",
           "tru",
           "nul",
           "[1] x",
           R"("\u12")",
           R"("\x41")",
           R"("\uD800")",
           R"("\uDC00\uD800")",
           R"("\uD800\u0041")",
           R"("\uDC00")",
           R"("a\uDFFFb")",
           "\"tab\there\"",
           "\"unterminated",
           "NaN",
           "Infinity",
           "[1 2]",
           R"({"a":1 "b":2})",
       })
    expect_same(text);
}

TEST(JsonReader, Utf8IsCheckedLikeNlohmann) {
  for (std::string text :
       {std::string("\"caf\xC3\xA9\""), std::string("\"\xF0\x9F\x98\x80\""), std::string("\"\xC3\""),
        std::string("\"\xFF\""), std::string("\"\xED\xA0\x80\""), std::string("\"\xC0\xAF\""),
        std::string("\"\xF4\x90\x80\x80\""), std::string("\"\xEF\xBF\xBF\""), std::string("\"\xE2\x82\""),
        std::string("\"\x1f\""), std::string("\"\x7f\""), std::string("\"a\0b\"", 5)})
    expect_same(text);
}

TEST(JsonReader, RefusesDeepNestingInsteadOfOverflowingTheStack) {
  EXPECT_TRUE(read_json(std::string(500, '[') + std::string(500, ']')));
  EXPECT_FALSE(read_json(std::string(100000, '[') + std::string(100000, ']')));
}

// The one deliberate difference: nlohmann stops reading at a NUL byte and accepts
// whatever came before it; a body with anything after its value is not JSON.
TEST(JsonReader, ANulByteDoesNotEndTheInput) {
  const std::string text = std::string(R"({"MessageBody":"x"})") + '\0' + "garbage";
  EXPECT_TRUE(reference(text).has_value());
  EXPECT_FALSE(read_json(text).has_value());
}

// Random documents, and random damage to them: same verdict, same value.
TEST(JsonReader, RandomDocumentsAndMutationsAgreeWithNlohmann) {
  std::mt19937 rng(11);
  const std::vector<std::string> strings = {"",        "a",           "MessageBody", "caf\xC3\xA9", "\xF0\x9F\x98\x80",
                                            "q\"uote", "back\\slash", "line\nbreak", "\x01",        "\xE2\x82\xAC"};
  std::function<json(int)> make = [&](int depth) -> json {
    switch (rng() % (depth > 3 ? 4 : 6)) {
      case 0:
        return strings[rng() % strings.size()];
      case 1:
        return int64_t(rng()) - int64_t(1u << 31);
      case 2:
        return double(rng() % 1000) / 8;
      case 3:
        return rng() % 2 == 0;
      case 4: {
        json o = json::object();
        for (int i = int(rng() % 4); i > 0; --i) o[strings[rng() % strings.size()]] = make(depth + 1);
        return o;
      }
      default: {
        json a = json::array();
        for (int i = int(rng() % 4); i > 0; --i) a.push_back(make(depth + 1));
        return a;
      }
    }
  };
  const std::string noise = "{}[]\",:\\ u0123456789.eE+-tfnl\x80\xC3\xFF\t\n\x1f\x7f";
  for (int round = 0; round < 3000; ++round) {
    std::string text = make(0).dump(rng() % 2 ? -1 : 2, ' ', false, json::error_handler_t::replace);
    expect_same(text);
    for (int m = int(rng() % 3) + 1; m > 0 && !text.empty(); --m) {
      const size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = noise[rng() % noise.size()];
          break;
        case 1:
          text.erase(at, 1);
          break;
        default:
          text.insert(at, 1, noise[rng() % noise.size()]);
      }
    }
    expect_same(text);
  }
}

}  // namespace
}  // namespace sluice::protocol
