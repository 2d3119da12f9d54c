#pragma once
// Walks a parsed policy (policy_tree.h) over one message, in either scope.
// REQUIRES: `root` is not empty (an empty policy matches everything; the caller
// answers that without looking at the message).

#include <string_view>

#include "runtime/topic/filter/filter_policy.h"
#include "runtime/topic/filter/policy_tree.h"
#include "runtime/topic/message.h"

namespace sluice::topic::filter {

// Keys are attribute names; the types are String, Number, String.Array and
// Binary, each with an optional ".label". String conditions match String values
// and numeric ones Number values; a String.Array matches when one element does
// (for "anything-but", when no element is excluded); Binary, and any type SNS
// does not have, only satisfies "exists". No attributes at all is
// no_attributes, a String.Array the policy names that is not a JSON array of
// scalars is invalid_attributes.
FilterOutcome match_attributes(const Node& root, const MessageAttributes& attributes);

// The body must be a JSON object (invalid_body otherwise). Keys follow nested
// objects, dotted keys on either side being paths; an array matches when one
// element does, and the keys under an array of objects must all match in the
// same element. A key whose value is an object or an empty array is absent.
FilterOutcome match_body(const Node& root, std::string_view body);

}  // namespace sluice::topic::filter
