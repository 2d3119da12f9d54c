// The credential scope routes a signed request and gives it its region; anything
// that is not a well-formed scope is no scope, never a crash.

#include "sidecar/aws/credential_scope.h"

#include <gtest/gtest.h>

namespace sluice::aws {
namespace {

TEST(CredentialScope, ReadsTheHeaderForm) {
  auto s = scope_from_authorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251203/eu-west-1/sqs/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abcd");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->access_key, "AKIDEXAMPLE");
  EXPECT_EQ(s->date, "20251203");
  EXPECT_EQ(s->region, "eu-west-1");
  EXPECT_EQ(s->service, "sqs");
  // The SDKs put no space after the comma, some put the Credential last.
  auto t = scope_from_authorization(
      "AWS4-HMAC-SHA256 SignedHeaders=host,Signature=ab,Credential=K/d/r/kinesis/aws4_request");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->service, "kinesis");
}

TEST(CredentialScope, ReadsThePresignedForm) {
  auto s = parse_credential("AKID/20251203/us-west-2/sns/aws4_request");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->region, "us-west-2");
  EXPECT_EQ(s->service, "sns");
}

TEST(CredentialScope, AnythingElseIsNoScope) {
  for (const char* bad :
       {"", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=", "Bearer xyz", "AWS4-HMAC-SHA256 Credential=a/b/c/d",
        "AWS4-HMAC-SHA256 Credential=a/b/c/d/e", "AWS4-HMAC-SHA256 Credential=//us-east-1/sqs/aws4_request",
        "AWS4-HMAC-SHA256 Credential=a/b/c d/sqs/aws4_request", "AWS AKID:signature"})
    EXPECT_FALSE(scope_from_authorization(bad)) << bad;
  EXPECT_FALSE(parse_credential("a/b/c/d/aws4_request/extra"));
}

}  // namespace
}  // namespace sluice::aws
