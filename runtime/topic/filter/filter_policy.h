#pragma once
// SNS subscription filter policies: the whole language, on message attributes
// or on a JSON message body (FilterPolicyScope), with SNS's limits.
//
//   exact strings and numbers, {"prefix"}, {"suffix"}, {"anything-but": values |
//   {"prefix"} | {"suffix"} | {"wildcard"}}, {"numeric": [op, n, ...]},
//   {"exists": bool}, {"equals-ignore-case"}, {"wildcard"}, {"cidr"} (IPv4 and
//   IPv6), "$or", nested keys and arrays in body scope.
//
// A policy is parsed and checked once (Subscribe, SetSubscriptionAttributes, a
// manifest) and evaluated for every message; evaluation never allocates more
// than the message's own values and is safe from any thread.

#include <memory>
#include <string>
#include <string_view>

#include "runtime/common/error.h"
#include "runtime/topic/message.h"

namespace sluice::topic {

enum class FilterScope : uint8_t { message_attributes, message_body };

// Why a message was or was not delivered (the CloudWatch metric it counts toward).
enum class FilterOutcome : uint8_t {
  match,               // delivered
  no_match,            // NumberOfNotificationsFilteredOut
  no_attributes,       // NumberOfNotificationsFilteredOut-NoMessageAttributes (attribute scope, none given)
  invalid_attributes,  // NumberOfNotificationsFilteredOut-InvalidAttributes (e.g. String.Array not a JSON array)
  invalid_body,        // NumberOfNotificationsFilteredOut-InvalidMessageBody (body scope, body not a JSON object)
};

class FilterPolicy {
 public:
  // Parses and checks `policy` (its JSON text) as SNS does. A refusal is
  // Error{errc::invalid_argument, "FilterPolicy", message}, with SNS's message
  // ("Invalid parameter: FilterPolicy: ..."-style reasons that say what is wrong:
  // too many keys, over 150 combinations, nesting in attribute scope, an
  // unknown operator, a numeric value out of range, ...). The empty object "{}"
  // is a valid policy that matches everything.
  static Result<FilterPolicy, Error> parse(std::string_view policy, FilterScope scope);

  FilterScope scope() const;
  FilterOutcome evaluate(const MessageAttributes& attributes) const;  // attribute scope
  FilterOutcome evaluate(std::string_view body) const;                // body scope

  FilterPolicy(const FilterPolicy&);
  FilterPolicy& operator=(const FilterPolicy&);
  FilterPolicy(FilterPolicy&&) noexcept;
  FilterPolicy& operator=(FilterPolicy&&) noexcept;
  ~FilterPolicy();

 private:
  struct Impl;
  explicit FilterPolicy(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace sluice::topic
