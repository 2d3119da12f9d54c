#pragma once
// Base64 (RFC 4648). AWS carries binary values (message attributes, Kinesis and
// Firehose records) as standard base64; receipt handles use the URL-safe alphabet.

#include <optional>
#include <string>
#include <string_view>

namespace sluice {

std::string base64_encode(std::string_view bytes, bool url_safe = false);
// Accepts padded or unpadded input in either alphabet; nullopt on any other byte.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace sluice
