#pragma once
// Unguessable tokens (subscription confirmation): whoever holds one can confirm
// a subscription, so they come from the operating system's CSPRNG.

#include <string>

namespace sluice::topic {

// 128 lowercase hex characters (64 random bytes), as long as SNS's tokens.
std::string random_token();

}  // namespace sluice::topic
