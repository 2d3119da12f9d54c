#pragma once
// The SigV4 credential scope of a request: who signed it (access key) and for
// which region and service. It routes the request to a service and gives it its
// region. Read from the Authorization header or, for presigned URLs, from the
// X-Amz-Credential parameter:
//
//   Authorization: AWS4-HMAC-SHA256 Credential=AKID/20251203/us-east-1/sqs/aws4_request, SignedHeaders=…, Signature=…
//   ?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20251203%2Fus-east-1%2Fsqs%2Faws4_request&…
//
// Parsing never fails loudly: anything that is not a well-formed scope is "no scope".

#include <optional>
#include <string>
#include <string_view>

namespace sluice::aws {

struct CredentialScope {
  std::string access_key;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
};

// "AKID/20251203/us-east-1/sqs/aws4_request"
std::optional<CredentialScope> parse_credential(std::string_view credential);
// The Credential= part of an AWS4-HMAC-SHA256 Authorization header.
std::optional<CredentialScope> scope_from_authorization(std::string_view authorization);

}  // namespace sluice::aws
