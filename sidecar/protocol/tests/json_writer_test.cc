#include "sidecar/protocol/json_writer.h"

#include <gtest/gtest.h>

#include <random>

namespace sluice::protocol {
namespace {

using json = nlohmann::json;

std::string reference(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

TEST(JsonWriter, MatchesNlohmannOnEveryKind) {
  const json doc = {{"Messages", json::array({{{"Body", "a \"quoted\" \\ line\n\t\x01\x1f\x7f end"},
                                               {"MD5OfBody", "5d41402abc4b2a76b9719d911017c592"},
                                               {"Attributes", {{"SentTimestamp", "1764201600000"}}}}})},
                    {"count", 10},
                    {"negative", -3},
                    {"big", uint64_t(1) << 63},
                    {"ratio", 0.25},
                    {"whole", 2.0},
                    {"flag", true},
                    {"nothing", nullptr},
                    {"empty", json::object()},
                    {"list", json::array()},
                    {"unicode", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBF"}};
  EXPECT_EQ(to_json_text(doc), reference(doc));
}

TEST(JsonWriter, ReplacesMalformedUtf8LikeNlohmann) {
  // A truncated sequence is one replacement, not one per byte (the fuzz target's
  // comparison with nlohmann found "\xE2\x82a" written with two).
  for (std::string bad : {std::string("\xC3"), std::string("a\xFFz"), std::string("\xED\xA0\x80"),
                          std::string("\xC0\xAF"), std::string("\xF4\x90\x80\x80"), std::string("\xE2\x82"),
                          std::string("\xE2\x82"
                                      "a"),
                          std::string("\xF0\x9F\x98"
                                      "b"),
                          std::string("\xF0\x9F\x98"), std::string("\xE0\x80\x80"), std::string("\xF1\x80\xC3\xA9"),
                          std::string("\x80\xBF\xF5")}) {
    const json v = bad;
    const std::string got = to_json_text(v);
    EXPECT_EQ(got, reference(v));
    EXPECT_NE(got.find("\xEF\xBF\xBD"), std::string::npos) << got;
    EXPECT_NO_THROW(json::parse(got)) << got;
  }
}

// Every valid string, escaped or not, reads back as itself and as nlohmann writes it.
TEST(JsonWriter, RandomValidStringsRoundTrip) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           " ",
                                           "\"",
                                           "\\",
                                           "\n",
                                           "\x01",
                                           "\x1f",
                                           "\x7f",
                                           "/",
                                           "\xC3\xA9",
                                           "\xE2\x82\xAC",
                                           "\xF0\x9F\x98\x80",
                                           "\xEE\x80\x80"};
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    const int n = int(rng() % 40);
    for (int i = 0; i < n; ++i) s += pieces[rng() % pieces.size()];
    const json v = s;
    ASSERT_EQ(to_json_text(v), reference(v));
    ASSERT_EQ(json::parse(to_json_text(v)).get<std::string>(), s);
  }
}

}  // namespace
}  // namespace sluice::protocol
