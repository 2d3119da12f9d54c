// Parsing filter policies: what SNS accepts, and what it refuses in which words.
// Messages marked (AWS) are the texts AWS returned for the same policy, as
// recorded by LocalStack's snapshot tests against AWS.

#include "runtime/topic/filter/filter_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::topic {
namespace {

constexpr FilterScope kAttributes = FilterScope::message_attributes;
constexpr FilterScope kBody = FilterScope::message_body;

// "a": [1, 2, ..., n]
std::string key_with_values(const std::string& key, int n) {
  std::string s = "\"" + key + "\": [";
  for (int i = 1; i <= n; ++i) s += (i > 1 ? "," : "") + std::to_string(i);
  return s + "]";
}

std::string wildcards(const std::vector<std::string>& patterns) {
  std::string s = R"({"key": [)";
  for (size_t i = 0; i < patterns.size(); ++i)
    s += (i ? "," : "") + std::string(R"({"wildcard": ")") + patterns[i] + "\"}";
  return s + "]}";
}

struct Refusal {
  std::string policy;
  FilterScope scope;
  std::string message;
};

class FilterPolicyRefusal : public testing::TestWithParam<Refusal> {};

TEST_P(FilterPolicyRefusal, SaysWhatIsWrong) {
  const Refusal& r = GetParam();
  auto policy = FilterPolicy::parse(r.policy, r.scope);
  ASSERT_FALSE(policy.ok()) << r.policy;
  EXPECT_EQ(policy.error().code, errc::invalid_argument);
  EXPECT_EQ(policy.error().field, "FilterPolicy");
  EXPECT_EQ(policy.error().message, r.message) << r.policy;
}

INSTANTIATE_TEST_SUITE_P(
    Shape, FilterPolicyRefusal,
    testing::Values(
        Refusal{"[]", kAttributes, "Filter is not an object"}, Refusal{R"("store")", kBody, "Filter is not an object"},
        Refusal{R"({"object": {"key": [{"prefix": "auto-"}]}})", kAttributes,
                "Filter policy scope MessageAttributes does not support nested filter policy"},                // (AWS)
        Refusal{R"({"key": {"suffix": "value"}})", kAttributes, R"("suffix" must be an object or an array)"},  // (AWS)
        Refusal{R"({"key": {"not-an-operator": "value"}})", kBody,
                R"("not-an-operator" must be an object or an array)"},                            // (AWS)
        Refusal{R"({"key_a": "value_one"})", kBody, R"("key_a" must be an object or an array)"},  // (AWS)
        Refusal{R"({"key": 5})", kAttributes, R"("key" must be an object or an array)"},
        Refusal{R"({"key": []})", kAttributes, "Empty arrays are not allowed"},
        Refusal{R"({"key": {}})", kBody, "Empty objects are not allowed"},
        Refusal{R"({"$or": [{}, {"a": [1]}]})", kBody, "Empty objects are not allowed"},
        Refusal{R"({"key": [["value"]]})", kAttributes, "Match value must be String, number, true, false, or null"},
        Refusal{R"({"key": [{}]})", kAttributes, "Match expression name not found"},
        Refusal{R"({"key": [{"wrong-operator": true}]})", kAttributes, "Unrecognized match type wrong-operator"},
        Refusal{R"({"key": [{"prefx": "a"}]})", kBody, "Unrecognized match type prefx"},
        Refusal{R"({"key": [{"suffix": "value", "prefix": "value2"}]})", kAttributes,
                "Only one key allowed in match expression"},  // (AWS)
        // Not an "$or" to SNS (reserved words inside, or one branch): a key named "$or".
        Refusal{R"({"$or": [{"numeric": 123}, {"prefix": "abc"}]})", kAttributes, "Value of numeric must be an array."},
        Refusal{R"({"$or": [{"a": [1]}]})", kAttributes, "Unrecognized match type a"}));

INSTANTIATE_TEST_SUITE_P(
    Limits, FilterPolicyRefusal,
    testing::Values(Refusal{R"({"a": [1], "b": [1], "c": [1], "d": [1], "e": [1], "f": [1]})", kAttributes,
                            "Filter policy can not have more than 5 keys"},  // (AWS)
                    Refusal{R"({"a": [1], "b": [1], "c": [1], "d": [1], "$or": [{"e": [1], "f": [1]}, {"g": [1]}]})",
                            kAttributes, "Filter policy can not have more than 5 keys"},
                    Refusal{"{" + key_with_values("a", 151) + "}", kAttributes, "Filter policy is too complex"},
                    Refusal{"{" + key_with_values("a", 10) + "," + key_with_values("b", 16) + "}", kAttributes,
                            "Filter policy is too complex"},
                    // AWS's example is 3 x 4 x 2 x 3 = 72 (depth times values); one more key of 3 makes 216.  (AWS)
                    Refusal{R"({"key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}},
                    "key_d": {"key_e": ["value_one", "value_two", "value_three"]},
                    "key_f": ["value_one", "value_two", "value_three"]})",
                            kBody, "Filter policy is too complex"},
                    // "$or" branches add up: 5 x (15 + 16) = 155.
                    Refusal{"{" + key_with_values("a", 5) + R"(, "$or": [{)" + key_with_values("b", 15) + "}, {" +
                                key_with_values("c", 16) + "}]}",
                            kAttributes, "Filter policy is too complex"},
                    Refusal{"{\"k\": [\"" + std::string(256 * 1024, 'x') + "\"]}", kAttributes,
                            "Filter policy can not be larger than 256 KB"}));

INSTANTIATE_TEST_SUITE_P(
    Numeric, FilterPolicyRefusal,
    testing::Values(  // every message here is AWS's for the same operand (AWS)
        Refusal{R"({"key": [{"numeric": []}]})", kAttributes, "Invalid member in numeric match: ]"},
        Refusal{R"({"key": [{"numeric": ["operator"]}]})", kAttributes,
                "Unrecognized numeric range operator: operator"},
        Refusal{R"({"key": [{"numeric": [1, "<="]}]})", kAttributes, "Invalid member in numeric match: 1"},
        Refusal{R"({"key": [{"numeric": ["=", "000"]}]})", kAttributes, "Value of equals must be numeric"},
        Refusal{R"({"key": [{"numeric": [">="]}]})", kAttributes, "Value of >= must be numeric"},
        Refusal{R"({"key": [{"numeric": ["<", 100, ">", 10]}]})", kAttributes,
                "Too many elements in numeric expression"},
        Refusal{R"({"key": [{"numeric": [">=", 1, ">", 2]}]})", kAttributes, "Bad numeric range operator: >"},
        Refusal{R"({"key": [{"numeric": [">", 3, "<", 1]}]})", kAttributes, "Bottom must be less than top"},
        Refusal{R"({"key": [{"numeric": [">", 3, "<", 3]}]})", kAttributes, "Bottom must be less than top"},
        Refusal{R"({"key": [{"numeric": [">", 20, "<="]}]})", kAttributes, "Value of <= must be numeric"},
        Refusal{R"({"key": [{"numeric": [">", 20, 30]}]})", kAttributes, "Bad value in numeric range: 30"},
        Refusal{R"({"key": [{"numeric": [">", 20, "test"]}]})", kAttributes, "Bad numeric range operator: test"},
        Refusal{R"({"key": [{"numeric": [">", "20", "<", "30"]}]})", kAttributes, "Value of > must be numeric"},
        Refusal{R"({"key": [{"numeric": [">", 20, "<", "30"]}]})", kAttributes, "Value of < must be numeric"},
        Refusal{R"({"key": [{"numeric": [">", 20, "<", 30, "<", 50]}]})", kAttributes,
                "Too many terms in numeric range expression"},
        Refusal{R"({"key": [{"numeric": 5}]})", kAttributes, "Value of numeric must be an array."},
        Refusal{R"({"key": [{"numeric": ["=", 1000000000.00001]}]})", kAttributes,
                "Value must be between -1.0E9 and 1.0E9, inclusive"},
        Refusal{R"({"key": [{"numeric": [">", -1e10]}]})", kAttributes,
                "Value must be between -1.0E9 and 1.0E9, inclusive"},
        Refusal{R"({"key": [{"anything-but": [1, 2e9]}]})", kAttributes,
                "Value must be between -1.0E9 and 1.0E9, inclusive"}));

INSTANTIATE_TEST_SUITE_P(
    Operators, FilterPolicyRefusal,
    testing::Values(
        Refusal{R"({"key": [{"suffix": 100}]})", kAttributes, "suffix match pattern must be a string"},    // (AWS)
        Refusal{R"({"key": [{"suffix": null}]})", kAttributes, "suffix match pattern must be a string"},   // (AWS)
        Refusal{R"({"key": [{"suffix": ["a"]}]})", kAttributes, "suffix match pattern must be a string"},  // (AWS)
        Refusal{R"({"key": [{"prefix": {"equals-ignore-case": "a"}}]})", kBody,
                "prefix match pattern must be a string"},
        Refusal{R"({"key": [{"equals-ignore-case": 1}]})", kBody, "equals-ignore-case match pattern must be a string"},
        Refusal{R"({"key": [{"exists": null}]})", kAttributes, "exists match pattern must be either true or false."},
        Refusal{R"({"key": [{"exists": "no"}]})", kAttributes, "exists match pattern must be either true or false."},
        Refusal{R"({"key": [{"anything-but": {"wrong-operator": null}}]})", kAttributes,
                "Unsupported anything-but pattern: wrong-operator"},  // (AWS)
        Refusal{R"({"key": [{"anything-but": {"exists": false}}]})", kAttributes,
                "Unsupported anything-but pattern: exists"},  // (AWS)
        Refusal{R"({"key": [{"anything-but": {"prefix": false}}]})", kAttributes,
                "prefix match pattern must be a string"},  // (AWS)
        Refusal{R"({"key": [{"anything-but": {"suffix": ["a", 1]}}]})", kAttributes,
                "suffix match pattern must be a string"},
        Refusal{R"({"key": [{"anything-but": {"prefix": ""}}]})", kAttributes, "Null prefix/suffix not allowed"},
        Refusal{R"({"key": [{"anything-but": {"prefix": []}}]})", kAttributes, "Empty arrays are not allowed"},
        Refusal{R"({"key": [{"anything-but": {"equals-ignore-case": [1]}}]})", kAttributes,
                "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."},
        Refusal{R"({"key": [{"anything-but": {}}]})", kAttributes, "Anything-But expression name not found"},
        Refusal{R"({"key": [{"anything-but": {"prefix": "a", "suffix": "b"}}]})", kAttributes,
                "Only one key allowed in match expression"},
        Refusal{R"({"key": [{"anything-but": null}]})", kAttributes,
                "Value of anything-but must be an array or single string/number value."},
        Refusal{R"({"key": [{"anything-but": ["a", 1]}]})", kAttributes,
                "Inside anything but list, either all values are number or string, mixed type is not supported"},
        Refusal{R"({"key": [{"anything-but": []}]})", kAttributes,
                "Inside anything but list, either all values are number or string, mixed type is not supported"},
        Refusal{R"({"key": [{"anything-but": [true]}]})", kAttributes,
                "Inside anything but list, start|null|boolean is not supported."},
        Refusal{R"({"key": [{"wildcard": 5}]})", kAttributes, "wildcard match pattern must be a string"},
        Refusal{R"({"key": [{"wildcard": "abc**def"}]})", kAttributes, "Consecutive wildcard characters at pos 4"},
        Refusal{R"({"key": [{"wildcard": "a*c\\def"}]})", kAttributes, "Invalid escape character at pos 4"},
        Refusal{R"({"key": [{"wildcard": "abc\\"}]})", kAttributes, "Invalid escape character at pos 4"},
        Refusal{R"({"key": [{"anything-but": {"wildcard": ["ok*", "a**"]}}]})", kAttributes,
                "Consecutive wildcard characters at pos 2"},
        Refusal{wildcards({"*.jpg", "*.png", "*.gif", "*.bmp", "*.svg", "*.tif"}), kAttributes,
                "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences "
                "after a wildcard character"},
        Refusal{wildcards({"*aaaaaaaaaa"}), kBody,
                "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences "
                "after a wildcard character"},
        Refusal{R"({"key": [{"wildcard": "*a"}, {"wildcard": "*b"}, {"wildcard": "*c"},
                            {"anything-but": {"wildcard": ["*d", "*e", "*f"]}}]})",
                kAttributes,
                "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences "
                "after a wildcard character"}));

INSTANTIATE_TEST_SUITE_P(
    Cidr, FilterPolicyRefusal,
    testing::Values(
        Refusal{R"({"ip": [{"cidr": 5}]})", kAttributes, "cidr match pattern must be a string"},
        Refusal{R"({"ip": [{"cidr": "10.0.0.0"}]})", kAttributes, "Malformed CIDR, one '/' required"},
        Refusal{R"({"ip": [{"cidr": "10.0.0.0/"}]})", kAttributes, "Malformed CIDR, one '/' required"},
        Refusal{R"({"ip": [{"cidr": "10.0.0.0/8/8"}]})", kAttributes, "Malformed CIDR, one '/' required"},
        Refusal{R"({"ip": [{"cidr": "10.0.0.0/x"}]})", kAttributes, "Malformed CIDR, mask bits must be an integer"},
        Refusal{R"({"ip": [{"cidr": "10.0.0.0/ 8"}]})", kAttributes, "Malformed CIDR, mask bits must be an integer"},
        Refusal{R"({"ip": [{"cidr": "10.0.0.0/-1"}]})", kAttributes, "Malformed CIDR, mask bits must not be negative"},
        Refusal{R"({"ip": [{"cidr": "10.0.0/8"}]})", kAttributes, "Nonstandard IP address: 10.0.0"},
        Refusal{R"({"ip": [{"cidr": "example.com/8"}]})", kAttributes, "Nonstandard IP address: example.com"},
        Refusal{R"({"ip": [{"cidr": "::ffff:10.0.0.1/104"}]})", kAttributes, "Nonstandard IP address: ::ffff:10.0.0.1"},
        Refusal{R"({"ip": [{"cidr": "256.0.0.0/8"}]})", kAttributes, "Invalid IP address: 256.0.0.0"},
        Refusal{R"({"ip": [{"cidr": "2001:db8:::1/64"}]})", kAttributes, "Invalid IP address: 2001:db8:::1"},
        Refusal{R"({"ip": [{"cidr": "10.0.0.0/32"}]})", kAttributes, "IPv4 mask bits must be < 32"},
        Refusal{R"({"ip": [{"cidr": "2001:db8::/128"}]})", kAttributes, "IPv6 mask bits must be < 128"}));

TEST(FilterPolicyParse, RefusesWhatIsNotJsonAndSaysWhere) {
  for (const char* text : {"", "{", R"({"a": [1],})", "{\"a\": [\"\xff\"]}"}) {
    auto policy = FilterPolicy::parse(text, kAttributes);
    ASSERT_FALSE(policy.ok()) << text;
    EXPECT_EQ(policy.error().code, errc::invalid_argument);
    EXPECT_EQ(policy.error().message.rfind("failed to parse JSON. parse error at line 1, column ", 0), 0)
        << policy.error().message;
  }
}

struct Accepted {
  std::string policy;
  FilterScope scope;
};

class FilterPolicyAccepts : public testing::TestWithParam<Accepted> {};

TEST_P(FilterPolicyAccepts, AndKeepsItsScope) {
  auto policy = FilterPolicy::parse(GetParam().policy, GetParam().scope);
  ASSERT_TRUE(policy.ok()) << GetParam().policy << ": " << policy.error().message;
  EXPECT_EQ(policy->scope(), GetParam().scope);
}

INSTANTIATE_TEST_SUITE_P(
    Policies, FilterPolicyAccepts,
    testing::Values(
        Accepted{"{}", kAttributes}, Accepted{" { } ", kBody},
        // AWS's examples.
        Accepted{R"({"store": ["example_corp"], "event": [{"anything-but": "order_cancelled"}],
                     "customer_interests": ["rugby", "football", "baseball"], "price_usd": [{"numeric": [">=", 100]}]})",
                 kAttributes},
        Accepted{R"({"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization", "ReadLatency"]},
                     {"metricType": ["MetricType"], "$or": [{"metricId": [1234, 4321]}, {"spaceId": [1000, 2000, 3000]}]}]})",
                 kAttributes},
        Accepted{R"({"key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}},
                     "key_d": {"key_e": ["value_one", "value_two", "value_three"]}})",
                 kBody},
        Accepted{R"({"state": ["SUCCESS"], "severity": [{"exists": true}], "message": [{"exists": true}],
                     "finding": {"standard_control": [{"exists": true}], "region": [{"exists": true}],
                                 "account": [{"exists": true}]}})",
                 kBody},  // five top-level keys: nested ones do not count
        // At the limits.
        Accepted{"{" + key_with_values("a", 150) + "}", kAttributes},
        Accepted{"{" + key_with_values("a", 10) + "," + key_with_values("b", 15) + "}", kAttributes},
        Accepted{"{" + key_with_values("a", 5) + R"(, "$or": [{)" + key_with_values("b", 15) + "}, {" +
                     key_with_values("c", 15) + "}]}",
                 kAttributes},
        Accepted{R"({"a": [1], "b": [1], "c": [1], "d": [1], "$or": [{"e": [1]}, {"f": [1]}]})", kAttributes},
        Accepted{"{\"k\": [\"" + std::string(256 * 1024 - 11, 'x') + "\"]}", kAttributes},  // exactly 256 KB
        Accepted{R"({"n": [{"numeric": ["=", 1000000000]}, {"numeric": [">=", -1e9, "<", 1e9]}, 123456789012]})",
                 kAttributes},
        // Operators in every documented form.
        Accepted{R"({"k": ["s", 1, 2.5, true, false, null, {"prefix": ""}, {"suffix": "x"},
                           {"equals-ignore-case": "X"}, {"wildcard": "a*b\\*c\\\\"}, {"exists": false},
                           {"numeric": ["<", 0]}, {"cidr": "10.0.0.0/24"}, {"cidr": "2001:db8::/32"},
                           {"cidr": "::ffff:a00:0/8"}, {"cidr": "10.0.0.0/+8"}]})",
                 kBody},
        Accepted{R"({"k": [{"anything-but": "x"}, {"anything-but": 5}, {"anything-but": ["a", "b"]},
                           {"anything-but": [1, 2]}, {"anything-but": {"prefix": "p"}}, {"anything-but": {"suffix": ["s"]}},
                           {"anything-but": {"wildcard": "*w"}}, {"anything-but": {"equals-ignore-case": ["E", ""]}}]})",
                 kAttributes},
        Accepted{wildcards({"*.jpg", "*.png", "*.gif", "*.bmp", "*.svg"}), kAttributes},
        Accepted{wildcards({"*aaaaaaa", "*/datasync/*.bif"}), kAttributes},
        Accepted{R"({"a.b": [1], "a": {"c": [2]}, "x": {"$or": [{"y": [1]}, {"z": [2]}]}})", kBody}));

TEST(FilterPolicyParse, NestingDeeperThanAnyPolicyCanBeIsTooComplex) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "{\"a\":";
  deep += "[1]" + std::string(200, '}');
  auto policy = FilterPolicy::parse(deep, kBody);
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.error().message, "Filter policy is too complex");
}

TEST(FilterPolicyParse, CopiesAndMovesShareOnePolicy) {
  auto parsed = FilterPolicy::parse(R"({"store": ["example_corp"]})", kAttributes);
  ASSERT_TRUE(parsed.ok());
  const MessageAttributes store{{"store", {"String", "example_corp"}}};
  FilterPolicy copy = *parsed;
  FilterPolicy moved = std::move(*parsed);
  EXPECT_EQ(copy.evaluate(store), FilterOutcome::match);
  EXPECT_EQ(moved.evaluate(store), FilterOutcome::match);
  copy = moved;
  EXPECT_EQ(copy.evaluate(store), FilterOutcome::match);
}

}  // namespace
}  // namespace sluice::topic
