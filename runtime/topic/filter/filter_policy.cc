#include "runtime/topic/filter/filter_policy.h"

#include <utility>

#include "runtime/topic/filter/policy_matcher.h"
#include "runtime/topic/filter/policy_parser.h"
#include "runtime/topic/filter/policy_tree.h"

namespace sluice::topic {

// Immutable once parsed, so copies share it and any thread may evaluate.
struct FilterPolicy::Impl {
  FilterScope scope;
  filter::Node root;
};

Result<FilterPolicy, Error> FilterPolicy::parse(std::string_view policy, FilterScope scope) {
  auto root = filter::parse_policy(policy, scope);
  if (!root) return fail(errc::invalid_argument, "FilterPolicy", std::move(root.error()));
  return FilterPolicy(std::make_shared<const Impl>(Impl{scope, std::move(*root)}));
}

FilterPolicy::FilterPolicy(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
FilterPolicy::FilterPolicy(const FilterPolicy&) = default;
FilterPolicy& FilterPolicy::operator=(const FilterPolicy&) = default;
FilterPolicy::FilterPolicy(FilterPolicy&&) noexcept = default;
FilterPolicy& FilterPolicy::operator=(FilterPolicy&&) noexcept = default;
FilterPolicy::~FilterPolicy() = default;

FilterScope FilterPolicy::scope() const { return impl_ ? impl_->scope : FilterScope::message_attributes; }

// A policy asked about the other scope's half of a message (and a moved-from
// one) delivers nothing, but "{}", which delivers everything.
FilterOutcome FilterPolicy::evaluate(const MessageAttributes& attributes) const {
  if (!impl_) return FilterOutcome::no_match;
  if (impl_->root.empty()) return FilterOutcome::match;
  if (impl_->scope != FilterScope::message_attributes) return FilterOutcome::no_match;
  return filter::match_attributes(impl_->root, attributes);
}

FilterOutcome FilterPolicy::evaluate(std::string_view body) const {
  if (!impl_) return FilterOutcome::no_match;
  if (impl_->root.empty()) return FilterOutcome::match;
  if (impl_->scope != FilterScope::message_body) return FilterOutcome::no_match;
  return filter::match_body(impl_->root, body);
}

}  // namespace sluice::topic
