#pragma once
// Amazon Resource Names and account ids.

#include <optional>
#include <string>
#include <string_view>

namespace sluice {

struct Arn {
  std::string partition = "aws";
  std::string service;
  std::string region;
  std::string account;
  std::string resource;

  std::string str() const;
};

// Parses "arn:partition:service:region:account:resource"; the resource may hold ':'.
std::optional<Arn> parse_arn(std::string_view text);

// True for a 12-digit AWS account id.
bool is_account_id(std::string_view s);

// The account id a Kubernetes namespace maps to when every namespace is its own
// account: 12 decimal digits taken from the SHA-256 of the name, so the mapping is
// stable across restarts, sidecars and operators.
std::string account_for_namespace(std::string_view ns);

}  // namespace sluice
