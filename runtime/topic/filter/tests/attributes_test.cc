// Filter policies on message attributes (FilterPolicyScope MessageAttributes),
// starting from AWS's example message and policies.

#include <gtest/gtest.h>

#include <string>

#include "runtime/topic/filter/filter_policy.h"

namespace sluice::topic {
namespace {

// AWS's example: a customer transaction.
const MessageAttributes kExample = {
    {"customer_interests", {"String.Array", R"(["soccer", "rugby", "hockey"])"}},
    {"store", {"String", "example_corp"}},
    {"event", {"String", "order_placed"}},
    {"price_usd", {"Number", "210.75"}},
};

MessageAttributes one(const std::string& type, const std::string& value, const std::string& name = "a") {
  return {{name, {type, value}}};
}

struct Case {
  std::string name;
  std::string policy;
  MessageAttributes attributes;
  FilterOutcome expected;
};

std::ostream& operator<<(std::ostream& out, const Case& c) { return out << c.name; }

class AttributeMatching : public testing::TestWithParam<Case> {};

TEST_P(AttributeMatching, DeliversWhatThePolicyAccepts) {
  const Case& c = GetParam();
  auto policy = FilterPolicy::parse(c.policy, FilterScope::message_attributes);
  ASSERT_TRUE(policy.ok()) << c.policy << ": " << policy.error().message;
  EXPECT_EQ(policy->evaluate(c.attributes), c.expected) << c.policy;
}

std::string case_name(const testing::TestParamInfo<Case>& info) { return info.param.name; }

constexpr auto kMatch = FilterOutcome::match;
constexpr auto kNoMatch = FilterOutcome::no_match;

INSTANTIATE_TEST_SUITE_P(
    AwsExamples, AttributeMatching,
    testing::Values(
        Case{"PolicyThatAcceptsTheExample",
             R"({"store": ["example_corp"], "event": [{"anything-but": "order_cancelled"}],
                 "customer_interests": ["rugby", "football", "baseball"], "price_usd": [{"numeric": [">=", 100]}]})",
             kExample, kMatch},
        Case{"PolicyThatRejectsTheExample",
             R"({"store": ["example_corp"], "event": ["order_cancelled"], "encrypted": [false],
                 "customer_interests": ["basketball", "baseball"]})",
             kExample, kNoMatch},
        Case{"AndAcrossKeys", R"({"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]})", kExample,
             kMatch},
        Case{"AndFailsOnOneKey", R"({"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 300]}]})",
             kExample, kNoMatch},
        Case{"OrAcrossValues", R"({"customer_interests": ["rugby", "football", "baseball"]})",
             one("String", "football", "customer_interests"), kMatch},
        Case{"StringIsCaseSensitive", R"({"store": ["Example_Corp"]})", kExample, kNoMatch},
        Case{"Prefix", R"({"a": [{"prefix": "bas"}]})", one("String", "basketball"), kMatch},
        Case{"PrefixMisses", R"({"a": [{"prefix": "bas"}]})", one("String", "rugby"), kNoMatch},
        Case{"Suffix", R"({"a": [{"suffix": "ball"}]})", one("String", "baseball"), kMatch},
        Case{"SuffixLongerThanValue", R"({"a": [{"suffix": "football"}]})", one("String", "ball"), kNoMatch},
        Case{"EqualsIgnoreCase", R"({"store": [{"equals-ignore-case": "EXAMPLE_Corp"}]})", kExample, kMatch},
        Case{"AnythingButList", R"({"a": [{"anything-but": ["rugby", "tennis"]}]})", one("String", "baseball"), kMatch},
        Case{"AnythingButListed", R"({"a": [{"anything-but": ["rugby", "tennis"]}]})", one("String", "tennis"),
             kNoMatch},
        Case{"AnythingButPrefix", R"({"event": [{"anything-but": {"prefix": "order-"}}]})",
             one("String", "data-entry", "event"), kMatch},
        Case{"AnythingButPrefixExcluded", R"({"event": [{"anything-but": {"prefix": "order_"}}]})", kExample, kNoMatch},
        Case{"AnythingButSuffixExcluded", R"({"event": [{"anything-but": {"suffix": ["_placed", "_x"]}}]})", kExample,
             kNoMatch},
        Case{"AnythingButWildcardExcluded", R"({"event": [{"anything-but": {"wildcard": "*pla*"}}]})", kExample,
             kNoMatch},
        Case{"AnythingButIgnoringCase", R"({"event": [{"anything-but": {"equals-ignore-case": "ORDER_PLACED"}}]})",
             kExample, kNoMatch},
        Case{"AnythingButIgnoringCaseOther", R"({"event": [{"anything-but": {"equals-ignore-case": ["X", "y"]}}]})",
             kExample, kMatch},
        Case{"AnythingButNeedsTheKey", R"({"encrypted": [{"anything-but": "yes"}]})", kExample, kNoMatch},
        Case{"AnythingButOrAbsent", R"({"encrypted": [{"anything-but": "yes"}, {"exists": false}]})", kExample,
             kMatch}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Wildcards, AttributeMatching,
    testing::Values(Case{"Leading", R"({"store": [{"wildcard": "*_corp"}]})", kExample, kMatch},
                    Case{"Middle", R"({"store": [{"wildcard": "ex*corp"}]})", kExample, kMatch},
                    Case{"Both", R"({"store": [{"wildcard": "*ple_co*"}]})", kExample, kMatch},
                    Case{"Several", R"({"a": [{"wildcard": "a*b*a"}]})", one("String", "abba"), kMatch},
                    Case{"NoLiteralLeft", R"({"a": [{"wildcard": "a*b*a"}]})", one("String", "ab"), kNoMatch},
                    Case{"Anchored", R"({"store": [{"wildcard": "x*"}]})", kExample, kNoMatch},
                    Case{"EscapedStar", R"({"a": [{"wildcard": "a\\*b"}]})", one("String", "a*b"), kMatch},
                    Case{"EscapedStarIsLiteral", R"({"a": [{"wildcard": "a\\*b"}]})", one("String", "axb"), kNoMatch},
                    Case{"EscapedBackslash", R"({"a": [{"wildcard": "a\\\\*"}]})", one("String", "a\\z"), kMatch},
                    Case{"StarAloneMatchesEmpty", R"({"a": [{"wildcard": "*"}]})", one("String", ""), kMatch},
                    Case{"NotANumber", R"({"a": [{"wildcard": "1*"}]})", one("Number", "10"), kNoMatch}),
    case_name);

// AWS: attributes with the same policy meaning, each optionally labelled.
INSTANTIATE_TEST_SUITE_P(
    Types, AttributeMatching,
    testing::Values(
        Case{"StringArrayAnyElement", R"({"customer_interests": ["hockey"]})", kExample, kMatch},
        Case{"StringArrayNoElement", R"({"customer_interests": ["tennis"]})", kExample, kNoMatch},
        Case{"StringArrayAnythingButNoneListed", R"({"customer_interests": [{"anything-but": ["tennis"]}]})", kExample,
             kMatch},
        Case{"StringArrayAnythingButOneListed", R"({"customer_interests": [{"anything-but": ["rugby", "tennis"]}]})",
             kExample, kNoMatch},
        Case{"StringArrayNumbers", R"({"a": [{"numeric": [">", 2]}]})", one("String.Array", "[1, 2.5]"), kMatch},
        Case{"StringArrayExactNumber", R"({"a": [1]})", one("String.Array", "[1.0]"), kMatch},
        Case{"StringArrayNumberIsNotAString", R"({"a": ["1"]})", one("String.Array", "[1]"), kNoMatch},
        Case{"StringArrayLiterals", R"({"a": [true, null]})", one("String.Array", "[false, null]"), kMatch},
        Case{"StringArrayEmpty", R"({"a": ["x", {"anything-but": "x"}]})", one("String.Array", "[]"), kNoMatch},
        Case{"StringArrayEmptyExists", R"({"a": [{"exists": true}]})", one("String.Array", "[]"), kMatch},
        Case{"StringLabel", R"({"a": ["v"]})", one("String.custom", "v"), kMatch},
        Case{"NumberLabel", R"({"a": [{"numeric": ["=", 5]}]})", one("Number.int", "5.000"), kMatch},
        Case{"NumberIsNotAString", R"({"a": ["210.75"]})", one("Number", "210.75"), kNoMatch},
        Case{"StringIsNotANumber", R"({"a": [210.75]})", one("String", "210.75"), kNoMatch},
        Case{"StringIsNotNumeric", R"({"a": [{"numeric": [">", 1]}]})", one("String", "5"), kNoMatch},
        Case{"NumberIsAnythingButAString", R"({"a": [{"anything-but": "5"}]})", one("Number", "5"), kMatch},
        Case{"NumericAnythingButNeedsANumber", R"({"a": [{"anything-but": [5]}]})", one("String", "x"), kNoMatch},
        Case{"NumericAnythingBut", R"({"a": [{"anything-but": [100, 500]}]})", one("Number", "101"), kMatch},
        Case{"NumericAnythingButListed", R"({"a": [{"anything-but": [100, 500]}]})", one("Number", "1e2"), kNoMatch},
        Case{"NullIsNotTheString", R"({"a": [null]})", one("String", "null"), kNoMatch},
        Case{"FalseIsNotTheString", R"({"encrypted": [false]})", one("String", "false", "encrypted"), kNoMatch},
        Case{"BinaryExists", R"({"a": [{"exists": true}]})", one("Binary", std::string("\0\1", 2)), kMatch},
        Case{"BinaryIsNeverAValue", R"({"a": ["x", {"prefix": ""}, {"anything-but": "y"}, {"exists": false}]})",
             one("Binary", "x"), kNoMatch},
        Case{"UnknownTypeOnlyExists", R"({"a": ["x"]})", one("Text", "x"), kNoMatch},
        Case{"DotsAreNotPathsHere", R"({"a.b": ["x"]})", one("String", "x", "a.b"), kMatch},
        Case{"PolicyNamesAnotherKey", R"({"b": ["x"]})", one("String", "x"), kNoMatch}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Numbers, AttributeMatching,
    testing::Values(
        Case{"Equals", R"({"price_usd": [{"numeric": ["=", 210.75]}]})", kExample, kMatch},
        Case{"EqualsExponent", R"({"a": [{"numeric": ["=", 301.5]}]})", one("Number", "3.015e2"), kMatch},
        Case{"ExactNumber", R"({"a": [301.5]})", one("Number", "3.015e2"), kMatch},
        Case{"RangeTopInclusive", R"({"a": [{"numeric": [">", 0, "<=", 150]}]})", one("Number", "150"), kMatch},
        Case{"RangeJustOverTop", R"({"a": [{"numeric": [">", 0, "<=", 150]}]})", one("Number", "150.00001"), kNoMatch},
        Case{"RangeBottomOpen", R"({"a": [{"numeric": [">", 0, "<=", 150]}]})", one("Number", "0"), kNoMatch},
        Case{"RangeBottomClosed", R"({"a": [{"numeric": [">=", 0, "<", 150]}]})", one("Number", "-0.0"), kMatch},
        Case{"RangeTopOpen", R"({"a": [{"numeric": [">=", 0, "<", 150]}]})", one("Number", "1.5e2"), kNoMatch},
        Case{"LessThan", R"({"a": [{"numeric": ["<", -5]}]})", one("Number", "-5.00001"), kMatch},
        Case{"LimitIncluded", R"({"a": [{"numeric": ["=", 1000000000]}]})", one("Number", "1e9"), kMatch},
        Case{"NegativeLimitIncluded", R"({"a": [{"numeric": ["<=", -1e9]}]})", one("Number", "-1000000000"), kMatch},
        Case{"OverTheLimitIsNotNumeric", R"({"a": [{"numeric": [">", 0]}]})", one("Number", "1000000000.00001"),
             kNoMatch},
        Case{"FiveDecimalsOfPrecision", R"({"a": [{"numeric": ["=", 0.3]}]})", one("Number", "0.300004"), kMatch},
        Case{"FifthDecimalCounts", R"({"a": [{"numeric": ["=", 0.3]}]})", one("Number", "0.30001"), kNoMatch},
        Case{"RoundsHalfAway", R"({"a": [{"numeric": ["=", 0.00001]}]})", one("Number", "0.000005"), kMatch},
        Case{"DoubleNoiseIsBelowThePrecision", R"({"a": [{"numeric": ["=", 0.3]}]})",
             one("Number", "0.30000000000000004"), kMatch},
        Case{"AccountNumbersMatchAsWritten", R"({"a": [123456789012]})", one("Number", "123456789012"), kMatch},
        Case{"NotANumberAtAll", R"({"a": [{"numeric": [">", 0]}]})", one("Number", "12abc"), kNoMatch}),
    case_name);

// AWS's "$or" examples.
INSTANTIATE_TEST_SUITE_P(
    Or, AttributeMatching,
    testing::Values(
        Case{
            "EitherBranch",
            R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]})",
            {{"source", {"String", "aws.cloudwatch"}}, {"namespace", {"String", "AWS/EC2"}}},
            kMatch},
        Case{
            "NeitherBranch",
            R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]})",
            {{"source", {"String", "aws.cloudwatch"}}, {"namespace", {"String", "AWS/ES"}}},
            kNoMatch},
        Case{
            "OrStillNeedsTheRest",
            R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]})",
            {{"source", {"String", "aws.s3"}}, {"metricName", {"String", "CPUUtilization"}}},
            kNoMatch},
        Case{"NestedOr",
             R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                 {"metricType": ["MetricType"], "$or": [{"metricId": [1234, 4321]}, {"spaceId": [1000, 2000, 3000]}]}]})",
             {{"source", {"String", "aws.cloudwatch"}},
              {"metricType", {"String", "MetricType"}},
              {"spaceId", {"Number", "2000"}}},
             kMatch},
        Case{"NestedOrInnerMisses",
             R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                 {"metricType": ["MetricType"], "$or": [{"metricId": [1234, 4321]}, {"spaceId": [1000, 2000, 3000]}]}]})",
             {{"source", {"String", "aws.cloudwatch"}},
              {"metricType", {"String", "MetricType"}},
              {"spaceId", {"Number", "4000"}}},
             kNoMatch},
        Case{"ReservedWordsMakeAnOrdinaryKey", R"({"$or": [{"prefix": "a"}, {"suffix": "b"}]})",
             one("String", "xb", "$or"), kMatch}),
    case_name);

INSTANTIATE_TEST_SUITE_P(Exists, AttributeMatching,
                         testing::Values(Case{"TruePresent", R"({"store": [{"exists": true}]})", kExample, kMatch},
                                         Case{"TrueAbsent", R"({"encrypted": [{"exists": true}]})", kExample, kNoMatch},
                                         Case{"FalsePresent", R"({"store": [{"exists": false}]})", kExample, kNoMatch},
                                         Case{"FalseAbsent", R"({"encrypted": [{"exists": false}]})", kExample, kMatch},
                                         Case{"FalseAndAValue", R"({"store": [{"exists": false}, "example_corp"]})",
                                              kExample, kMatch}),
                         case_name);

INSTANTIATE_TEST_SUITE_P(
    Cidr, AttributeMatching,
    testing::Values(
        Case{"V4First", R"({"ip": [{"cidr": "10.0.0.0/24"}]})", one("String", "10.0.0.0", "ip"), kMatch},
        Case{"V4Last", R"({"ip": [{"cidr": "10.0.0.0/24"}]})", one("String", "10.0.0.255", "ip"), kMatch},
        Case{"V4Next", R"({"ip": [{"cidr": "10.0.0.0/24"}]})", one("String", "10.0.1.0", "ip"), kNoMatch},
        Case{"V4Below", R"({"ip": [{"cidr": "10.0.0.0/24"}]})", one("String", "9.255.255.255", "ip"), kNoMatch},
        Case{"V4OddMask", R"({"ip": [{"cidr": "192.168.0.0/23"}]})", one("String", "192.168.1.77", "ip"), kMatch},
        Case{"V4OddMaskOut", R"({"ip": [{"cidr": "192.168.0.0/23"}]})", one("String", "192.168.2.0", "ip"), kNoMatch},
        Case{"V4LeadingZerosAreDecimal", R"({"ip": [{"cidr": "10.0.0.0/24"}]})", one("String", "010.000.000.017", "ip"),
             kMatch},
        Case{"V4OctetTooBig", R"({"ip": [{"cidr": "10.0.0.0/8"}]})", one("String", "10.0.0.256", "ip"), kNoMatch},
        Case{"V4StartsAtTheAddressWritten", R"({"ip": [{"cidr": "10.0.0.5/24"}]})", one("String", "10.0.0.4", "ip"),
             kNoMatch},
        Case{"V4ZeroMaskIsAllV4", R"({"ip": [{"cidr": "0.0.0.0/0"}]})", one("String", "255.255.255.255", "ip"), kMatch},
        Case{"V4ZeroMaskIsNotV6", R"({"ip": [{"cidr": "0.0.0.0/0"}]})", one("String", "::1", "ip"), kNoMatch},
        Case{"V4MappedV6IsV4", R"({"ip": [{"cidr": "10.0.0.0/24"}]})", one("String", "::ffff:a00:7", "ip"), kMatch},
        Case{"V4Slash31", R"({"ip": [{"cidr": "10.0.0.2/31"}]})", one("String", "10.0.0.3", "ip"), kMatch},
        Case{"V4NotAnAddress", R"({"ip": [{"cidr": "10.0.0.0/8"}]})", one("String", "10.0.0", "ip"), kNoMatch},
        Case{"V6", R"({"ip": [{"cidr": "2001:db8::/32"}]})", one("String", "2001:db8:ffff:ffff::1", "ip"), kMatch},
        Case{"V6UpperCase", R"({"ip": [{"cidr": "2001:db8::/32"}]})", one("String", "2001:0DB8::1", "ip"), kMatch},
        Case{"V6Out", R"({"ip": [{"cidr": "2001:db8::/32"}]})", one("String", "2001:db9::", "ip"), kNoMatch},
        Case{"V6Slash127", R"({"ip": [{"cidr": "2001:db8::/127"}]})", one("String", "2001:db8::1", "ip"), kMatch},
        Case{"V6Slash127Out", R"({"ip": [{"cidr": "2001:db8::/127"}]})", one("String", "2001:db8::2", "ip"), kNoMatch},
        Case{"V6ZoneIsNotAnAddress", R"({"ip": [{"cidr": "fe80::/10"}]})", one("String", "fe80::1%eth0", "ip"),
             kNoMatch},
        Case{"V6IsNotV4", R"({"ip": [{"cidr": "::/0"}]})", one("String", "10.0.0.1", "ip"), kNoMatch},
        Case{"ANumberIsNotAnAddress", R"({"ip": [{"cidr": "0.0.0.0/0"}]})", one("Number", "1", "ip"), kNoMatch},
        Case{"InAStringArray", R"({"ip": [{"cidr": "10.0.0.0/8"}]})",
             one("String.Array", R"(["192.168.0.1", "10.1.2.3"])", "ip"), kMatch}),
    case_name);

TEST(AttributeMatching, AMessageWithoutAttributesIsCountedApart) {
  auto policy = FilterPolicy::parse(R"({"store": [{"exists": false}]})", FilterScope::message_attributes);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->evaluate(MessageAttributes{}), FilterOutcome::no_attributes);
}

TEST(AttributeMatching, TheEmptyPolicyDeliversEverything) {
  auto policy = FilterPolicy::parse("{}", FilterScope::message_attributes);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->evaluate(MessageAttributes{}), FilterOutcome::match);
  EXPECT_EQ(policy->evaluate(kExample), FilterOutcome::match);
}

TEST(AttributeMatching, AStringArrayThatIsNotAJsonArrayOfValuesIsInvalid) {
  auto policy = FilterPolicy::parse(R"({"a": [{"exists": true}], "b": ["x"]})", FilterScope::message_attributes);
  ASSERT_TRUE(policy.ok());
  for (const char* value : {"not json", R"({"x": 1})", R"("x")", R"([["x"]])", R"([{"x": 1}])", "[1,"})
    EXPECT_EQ(policy->evaluate(one("String.Array", value)), FilterOutcome::invalid_attributes) << value;
  // Only attributes the policy names are read.
  const MessageAttributes other{{"a", {"String", "1"}}, {"c", {"String.Array", "not json"}}};
  EXPECT_EQ(policy->evaluate(other), FilterOutcome::no_match);
  // In an "$or" branch too.
  auto in_or = FilterPolicy::parse(R"({"$or": [{"a": ["x"]}, {"b": ["y"]}]})", FilterScope::message_attributes);
  ASSERT_TRUE(in_or.ok());
  EXPECT_EQ(in_or->evaluate(one("String.Array", "[", "b")), FilterOutcome::invalid_attributes);
}

TEST(AttributeMatching, APolicyForTheBodyDeliversNoAttributes) {
  auto policy = FilterPolicy::parse(R"({"store": ["example_corp"]})", FilterScope::message_body);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->evaluate(kExample), FilterOutcome::no_match);
}

}  // namespace
}  // namespace sluice::topic
