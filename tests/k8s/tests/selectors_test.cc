// Label and field selectors, and the Scale selector string.
#include <gtest/gtest.h>

#include "tests/k8s/apiserver/selectors.h"

namespace sluice::test_apiserver {
namespace {

bool label_match(const char* selector, const char* labels) {
  auto s = LabelSelector::parse(selector);
  EXPECT_TRUE(s.ok()) << selector << ": " << (s.ok() ? "" : s.error());
  return s.ok() && s->matches(Json::parse(labels));
}

TEST(LabelSelector, Operators) {
  const char* l = R"({"app":"shop","tier":"web","n":"5"})";
  EXPECT_TRUE(label_match("", l));
  EXPECT_TRUE(label_match("app=shop", l));
  EXPECT_TRUE(label_match("app==shop,tier=web", l));
  EXPECT_FALSE(label_match("app=other", l));
  EXPECT_TRUE(label_match("app!=other", l));
  EXPECT_TRUE(label_match("missing!=x", l));
  EXPECT_TRUE(label_match("tier in (web, api)", l));
  EXPECT_FALSE(label_match("tier notin (web)", l));
  EXPECT_TRUE(label_match("missing notin (web)", l));
  EXPECT_TRUE(label_match("app", l));
  EXPECT_FALSE(label_match("!app", l));
  EXPECT_TRUE(label_match("!missing", l));
  EXPECT_TRUE(label_match("n>4,n<6", l));
  EXPECT_TRUE(label_match("app.kubernetes.io/name!=x", "null"));
}

TEST(LabelSelector, RejectsGarbage) {
  EXPECT_FALSE(LabelSelector::parse("app in web").ok());
  EXPECT_FALSE(LabelSelector::parse("app=a b").ok());
  EXPECT_FALSE(LabelSelector::parse("n>x").ok());
  EXPECT_FALSE(LabelSelector::parse("app frob (x)").ok());
}

TEST(FieldSelector, NameNamespaceAndDeclaredLabels) {
  Json obj = Json::parse(R"({"metadata":{"name":"a","namespace":"ns"},"type":"Opaque"})");
  auto s = FieldSelector::parse("metadata.name=a,metadata.namespace==ns", {});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->matches(obj));
  auto n = FieldSelector::parse("metadata.name!=a", {});
  ASSERT_TRUE(n.ok());
  EXPECT_FALSE(n->matches(obj));
  auto typed = FieldSelector::parse("type=Opaque", {"type"});
  ASSERT_TRUE(typed.ok());
  EXPECT_TRUE(typed->matches(obj));
  auto refused = FieldSelector::parse("spec.foo=1", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), "field label not supported: spec.foo");
}

TEST(LabelSelectorString, RendersMatchLabelsAndExpressions) {
  Json sel = Json::parse(R"({"matchLabels":{"app":"w"},"matchExpressions":[
      {"key":"tier","operator":"In","values":["a","b"]},{"key":"x","operator":"DoesNotExist"}]})");
  EXPECT_EQ(label_selector_string(sel), "app=w,tier in (a,b),!x");
}

}  // namespace
}  // namespace sluice::test_apiserver
