// Fuzz target: any bytes as a filter policy, in both scopes. Parsing never
// crashes and refuses with invalid_argument on the FilterPolicy field and a
// message; a policy that parses is evaluated against a few fixed messages (in
// its scope and the other), which never crashes, and a copy of it evaluates
// the same. The input is also tried as a message body against a fixed policy.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "runtime/topic/filter/filter_policy.h"

namespace {

using sluice::topic::FilterOutcome;
using sluice::topic::FilterPolicy;
using sluice::topic::FilterScope;
using sluice::topic::MessageAttributes;

void check(bool ok, const char* what) {
  if (ok) return;
  std::cerr << "filter_policy: " << what << "\n";
  std::abort();
}

const MessageAttributes& attribute_messages(int i) {
  static const MessageAttributes kMessages[] = {
      {},
      {{"customer_interests", {"String.Array", R"(["soccer", "rugby", "hockey"])"}},
       {"store", {"String", "example_corp"}},
       {"event", {"String", "order_placed"}},
       {"price_usd", {"Number", "210.75"}},
       {"ip", {"String", "10.0.0.7"}}},
      {{"a", {"String.Array", "not an array"}}, {"b", {"Binary", std::string("\0\xff", 2)}}},
      {{"n", {"Number.int", "-1e9"}}, {"s", {"String.label", "Ab*c\\d"}}, {"v6", {"String", "2001:db8::1"}}},
  };
  return kMessages[i];
}

constexpr std::string_view kBodies[] = {
    "",
    "[1]",
    R"({"store": "example_corp", "price_usd": 210.75, "customer_interests": ["soccer", "rugby"]})",
    R"({"a": {"b": [{"c": 1, "d": "x"}, {"c": 2, "d": null}]}, "a.b.c": true, "e": [[["deep"]]]})",
    R"({"Records": [{"s3": {"object": {"key": "auto-insurance-2314.xml", "size": 17}}}], "ip": "::ffff:10.0.0.1"})",
};

void evaluate_all(const FilterPolicy& policy) {
  const FilterPolicy copy = policy;
  for (int i = 0; i < 4; ++i) {
    const FilterOutcome outcome = policy.evaluate(attribute_messages(i));
    check(outcome == copy.evaluate(attribute_messages(i)), "a copy evaluated attributes differently");
  }
  for (std::string_view body : kBodies) {
    const FilterOutcome outcome = policy.evaluate(body);
    check(outcome == copy.evaluate(body), "a copy evaluated a body differently");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (FilterScope scope : {FilterScope::message_attributes, FilterScope::message_body}) {
    auto policy = FilterPolicy::parse(text, scope);
    if (!policy) {
      check(policy.error().code == sluice::errc::invalid_argument, "a refusal that is not invalid_argument");
      check(policy.error().field == "FilterPolicy", "a refusal for another field");
      check(!policy.error().message.empty(), "a refusal without a reason");
      continue;
    }
    check(policy->scope() == scope, "a policy forgot its scope");
    evaluate_all(*policy);
  }
  static const auto kBodyPolicy = FilterPolicy::parse(
      R"({"a": {"b": {"c": [{"numeric": [">", 0]}]}}, "$or": [{"e": [{"wildcard": "*e*"}]}, {"f": [{"exists": false}]}]})",
      FilterScope::message_body);
  check(kBodyPolicy.ok(), "the fixed body policy does not parse");
  const FilterOutcome outcome = kBodyPolicy->evaluate(text);
  check(outcome != FilterOutcome::no_attributes && outcome != FilterOutcome::invalid_attributes,
        "a body evaluated to an attribute outcome");
  return 0;
}
