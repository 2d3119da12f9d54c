#include "sidecar/aws/credential_scope.h"

namespace sluice::aws {
namespace {

bool plain(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7f || c == '/' || c == ',') return false;
  return true;
}

}  // namespace

std::optional<CredentialScope> parse_credential(std::string_view credential) {
  std::string_view parts[5];
  for (int i = 0; i < 4; ++i) {
    auto slash = credential.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    parts[i] = credential.substr(0, slash);
    credential.remove_prefix(slash + 1);
  }
  parts[4] = credential;
  if (parts[4] != "aws4_request") return std::nullopt;
  for (int i = 0; i < 4; ++i)
    if (!plain(parts[i])) return std::nullopt;
  return CredentialScope{std::string(parts[0]), std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
}

std::optional<CredentialScope> scope_from_authorization(std::string_view authorization) {
  constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
  if (authorization.substr(0, kAlgorithm.size()) != kAlgorithm) return std::nullopt;
  constexpr std::string_view kCredential = "Credential=";
  auto at = authorization.find(kCredential);
  if (at == std::string_view::npos) return std::nullopt;
  auto rest = authorization.substr(at + kCredential.size());
  auto end = rest.find_first_of(", ");
  return parse_credential(rest.substr(0, end));
}

}  // namespace sluice::aws
