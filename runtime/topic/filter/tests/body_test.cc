// Filter policies on the message body (FilterPolicyScope MessageBody): nested
// keys, arrays, dotted paths, "$or", and bodies that are not JSON objects.

#include <gtest/gtest.h>

#include <string>

#include "runtime/topic/filter/filter_policy.h"

namespace sluice::topic {
namespace {

// AWS's example transaction as a payload, and an S3 event.
constexpr std::string_view kOrder = R"({
  "customer_interests": ["basketball", "rugby"],
  "store": "example_corp",
  "event": "order_placed",
  "price_usd": 210.75,
  "encrypted": false,
  "coupon": null,
  "location": {"city": "Seattle", "zip": 98101, "tags": []},
  "a.b": "flat"
})";

constexpr std::string_view kS3Event = R"({"Records": [
  {"eventName": "ObjectCreated:Put", "s3": {"object": {"key": "auto-insurance-2314.xml", "size": 17}}},
  {"eventName": "ObjectRemoved:Delete", "s3": {"object": {"key": "home-insurance-2314.xml", "size": 17}}}
]})";

struct Case {
  std::string name;
  std::string policy;
  std::string body;
  FilterOutcome expected;
};

class BodyMatching : public testing::TestWithParam<Case> {};

TEST_P(BodyMatching, DeliversWhatThePolicyAccepts) {
  const Case& c = GetParam();
  auto policy = FilterPolicy::parse(c.policy, FilterScope::message_body);
  ASSERT_TRUE(policy.ok()) << c.policy << ": " << policy.error().message;
  EXPECT_EQ(policy->evaluate(c.body), c.expected) << c.policy << " on " << c.body;
}

std::string case_name(const testing::TestParamInfo<Case>& info) { return info.param.name; }

constexpr auto kMatch = FilterOutcome::match;
constexpr auto kNoMatch = FilterOutcome::no_match;
const std::string kOrderBody(kOrder);
const std::string kS3Body(kS3Event);

INSTANTIATE_TEST_SUITE_P(
    Values, BodyMatching,
    testing::Values(
        Case{"String", R"({"store": ["example_corp"]})", kOrderBody, kMatch},
        Case{"StringMisses", R"({"store": ["other"]})", kOrderBody, kNoMatch},
        Case{"ArrayAnyElement", R"({"customer_interests": ["rugby", "tennis"]})", kOrderBody, kMatch},
        Case{"ArrayNoElement", R"({"customer_interests": ["tennis"]})", kOrderBody, kNoMatch},
        // AWS: matches "because it contains a value that isn't rugby or tennis".
        Case{"ArrayAnythingBut", R"({"customer_interests": [{"anything-but": ["rugby", "tennis"]}]})", kOrderBody,
             kMatch},
        Case{"ArrayAnythingButAll", R"({"customer_interests": [{"anything-but": ["rugby", "basketball"]}]})",
             kOrderBody, kNoMatch},
        Case{"Number", R"({"price_usd": [{"numeric": [">", 100, "<=", 210.75]}]})", kOrderBody, kMatch},
        Case{"ExactNumber", R"({"price_usd": [210.75]})", kOrderBody, kMatch},
        Case{"NumberIsNotAString", R"({"price_usd": ["210.75"]})", kOrderBody, kNoMatch},
        Case{"False", R"({"encrypted": [false]})", kOrderBody, kMatch},
        Case{"FalseIsNotAString", R"({"encrypted": ["false"]})", kOrderBody, kNoMatch},
        Case{"Null", R"({"coupon": [null]})", kOrderBody, kMatch},
        Case{"NullExists", R"({"coupon": [{"exists": true}]})", kOrderBody, kMatch},
        Case{"NullIsNotAbsent", R"({"missing": [null]})", kOrderBody, kNoMatch},
        Case{"Prefix", R"({"event": [{"prefix": "order_"}]})", kOrderBody, kMatch},
        Case{"Wildcard", R"({"store": [{"wildcard": "*ample*"}]})", kOrderBody, kMatch},
        Case{"EqualsIgnoreCase", R"({"store": [{"equals-ignore-case": "Example_CORP"}]})", kOrderBody, kMatch},
        Case{"Cidr", R"({"ip": [{"cidr": "2001:db8::/64"}]})", R"({"ip": "2001:db8::42"})", kMatch}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Paths, BodyMatching,
    testing::Values(Case{"Nested", R"({"location": {"city": ["Seattle"]}})", kOrderBody, kMatch},
                    Case{"NestedMisses", R"({"location": {"city": ["Boston"]}})", kOrderBody, kNoMatch},
                    Case{"DottedPolicyKey", R"({"location.zip": [98101]})", kOrderBody, kMatch},
                    Case{"DottedBodyKey", R"({"a": {"b": ["flat"]}})", kOrderBody, kMatch},
                    Case{"DottedBoth", R"({"a.b": ["flat"]})", kOrderBody, kMatch},
                    Case{"MixedDots", R"({"object.nested.test": ["string.value"]})",
                         R"({"object": {"nested.test": "string.value"}})", kMatch},
                    Case{"DottedAndNestedValuesBoth", R"({"a": {"b": [1]}, "a.b": [2]})",
                         R"({"a": {"b": 1}, "a.b": 2})", kMatch},
                    Case{"ObjectIsNotAValue", R"({"location": [{"exists": true}]})", kOrderBody, kNoMatch},
                    Case{"ObjectIsAbsent", R"({"location": [{"exists": false}]})", kOrderBody, kMatch},
                    Case{"EmptyArrayIsAbsent", R"({"location": {"tags": [{"exists": false}]}})", kOrderBody, kMatch},
                    Case{"EmptyArrayHasNoValue", R"({"location": {"tags": [{"exists": true}]}})", kOrderBody, kNoMatch},
                    Case{"AbsentUnderAValue", R"({"store": {"name": [{"exists": false}]}})", kOrderBody, kMatch},
                    Case{"AbsentNested", R"({"location": {"country": [{"exists": false}]}})", kOrderBody, kMatch},
                    Case{"PresentNested", R"({"location": {"city": [{"exists": false}]}})", kOrderBody, kNoMatch}),
    case_name);

// Keys under an array of objects must match in the same object, as AWS's
// matcher requires (an S3 event with two records).
INSTANTIATE_TEST_SUITE_P(
    ArraysOfObjects, BodyMatching,
    testing::Values(
        Case{"OneRecord", R"({"Records": {"s3": {"object": {"key": [{"prefix": "auto-"}]}}}})", kS3Body, kMatch},
        Case{"SameRecord",
             R"({"Records": {"eventName": ["ObjectCreated:Put"], "s3": {"object": {"key": [{"prefix": "auto-"}]}}}})",
             kS3Body, kMatch},
        Case{
            "DifferentRecords",
            R"({"Records": {"eventName": ["ObjectRemoved:Delete"], "s3": {"object": {"key": [{"prefix": "auto-"}]}}}})",
            kS3Body, kNoMatch},
        Case{"DottedThroughAnArray", R"({"Records.s3.object.size": [{"numeric": ["=", 17]}]})", kS3Body, kMatch},
        Case{"ArraysOfArrays", R"({"s3": {"object": {"key": [{"prefix": "auto-"}]}}})",
             R"({"s3": {"object": [[{"key": "auto-insurance-2314.xml"}], {"key": "home-insurance-2314.xml"}]}})",
             kMatch},
        Case{"ScalarsInNestedArrays", R"({"v": [3]})", R"({"v": [[1, [2, 3]]]})", kMatch}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Or, BodyMatching,
    testing::Values(
        Case{
            "EitherBranch",
            R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]})",
            R"({"source": "aws.cloudwatch", "namespace": "AWS/EC2"})", kMatch},
        Case{
            "NeitherBranch",
            R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]})",
            R"({"source": "aws.cloudwatch"})", kNoMatch},
        Case{
            "InsideAnObject",
            R"({"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]}]}})",
            R"({"detail": {"c-count": 9, "d-count": 3}})", kMatch},
        Case{
            "InsideAnObjectMisses",
            R"({"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]}]}})",
            R"({"detail": {"c-count": 9, "d-count": 30}})", kNoMatch},
        Case{"WithNestedBranches", R"({"$or": [{"a": {"b": ["x"]}}, {"c": [{"exists": false}]}]})",
             R"({"a": {"b": "y"}, "c": 1})", kNoMatch},
        Case{"BranchUnderAnArrayUsesOneElement", R"({"r": {"$or": [{"x": [1]}, {"y": [1]}], "z": [1]}})",
             R"({"r": [{"x": 1, "z": 2}, {"y": 2, "z": 1}]})", kNoMatch},
        Case{"BranchUnderAnArray", R"({"r": {"$or": [{"x": [1]}, {"y": [1]}], "z": [1]}})",
             R"({"r": [{"x": 1, "z": 2}, {"y": 1, "z": 1}]})", kMatch}),
    case_name);

TEST(BodyMatching, ABodyThatIsNotAJsonObjectIsInvalid) {
  auto policy = FilterPolicy::parse(R"({"store": [{"exists": false}]})", FilterScope::message_body);
  ASSERT_TRUE(policy.ok());
  for (const char* body : {"", "plain text", "[1]", R"("s")", "42", "null", R"({"a": 1)"})
    EXPECT_EQ(policy->evaluate(std::string_view(body)), FilterOutcome::invalid_body) << body;
}

TEST(BodyMatching, TheEmptyPolicyDeliversEverything) {
  auto policy = FilterPolicy::parse("{}", FilterScope::message_body);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->evaluate(std::string_view("not json")), FilterOutcome::match);
}

TEST(BodyMatching, APolicyForAttributesDeliversNoBody) {
  auto policy = FilterPolicy::parse(R"({"store": ["example_corp"]})", FilterScope::message_attributes);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->evaluate(kOrder), FilterOutcome::no_match);
}

TEST(BodyMatching, DeepBodiesAreSafe) {
  auto policy =
      FilterPolicy::parse(R"({"a": [{"exists": true}], "b": {"c": [{"exists": false}]}})", FilterScope::message_body);
  ASSERT_TRUE(policy.ok());
  const int depth = 100000;
  std::string arrays = R"({"a": 1, "c": )" + std::string(depth, '[') + std::string(depth, ']') + "}";
  EXPECT_EQ(policy->evaluate(arrays), FilterOutcome::match);
  std::string objects = R"({"a": 1, "b.c": 1, "b": )";
  for (int i = 0; i < depth / 10; ++i) objects += R"({"x.y": )";
  objects += "1" + std::string(depth / 10, '}') + "}";
  EXPECT_EQ(policy->evaluate(objects), FilterOutcome::no_match);
}

}  // namespace
}  // namespace sluice::topic
