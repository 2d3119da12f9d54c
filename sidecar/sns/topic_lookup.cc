#include "sidecar/sns/topic_lookup.h"

#include <algorithm>

#include "runtime/common/arn.h"
#include "runtime/common/text.h"
#include "sidecar/aws/params.h"

namespace sluice::sns {

Result<topic::TopicKey, Error> parse_topic_arn(std::string_view arn, const std::string& field) {
  const std::string text(arn);
  if (arn.empty())
    return fail(errc::invalid_argument, field,
                "Invalid parameter: " + field + " Reason: no value for required parameter");
  if (arn.substr(0, 4) != "arn:") return invalid(field, text, text + " does not start with arn");
  const size_t parts = size_t(std::count(arn.begin(), arn.end(), ':')) + 1;
  if (parts < 6) return invalid(field, text, "An ARN must have at least 6 elements, not " + std::to_string(parts));
  auto parsed = parse_arn(arn);
  if (!parsed || parsed->service != "sns") return invalid(field, text, "Only SNS topic ARNs are supported");
  if (parsed->region.empty() || !is_account_id(parsed->account))
    return invalid(field, text, "The ARN must name a region and a 12-digit account");
  // A subscription ARN (one more ':' part) is not a topic: SNS calls it a bad topic name.
  if (auto s = topic::validate_topic_name(parsed->resource, ends_with(parsed->resource, ".fifo")); !s)
    return Failure<Error>{s.error()};
  return topic::TopicKey{parsed->region, parsed->account, parsed->resource};
}

topic::TopicPtr find_topic_arn(Sns& sns, const aws::CallPtr& call, const std::string& arn, const std::string& field) {
  auto key = parse_topic_arn(arn, field);
  if (!key) {
    call->fail(key.error());
    return nullptr;
  }
  auto t = sns.topics.find(key->arn());
  if (!t) call->fail(Error{errc::not_found, field, "Topic does not exist", arn});
  return t;
}

topic::TopicPtr find_topic(Sns& sns, const aws::CallPtr& call, const std::string& field) {
  return find_topic_arn(sns, call, aws::string_or_empty(call->input(), field.c_str()), field);
}

Status<Error> check_subscription_arn(std::string_view arn) {
  const std::string text(arn);
  auto parsed = parse_arn(arn);
  const auto colon = parsed ? parsed->resource.find(':') : std::string::npos;
  if (!parsed || parsed->service != "sns" || colon == std::string::npos || colon == 0 ||
      colon + 1 == parsed->resource.size())
    return invalid("SubscriptionArn", text, "Invalid subscription ARN: " + text);
  return {};
}

topic::StringPairs parse_tags(const nlohmann::json& input, const char* name) {
  topic::StringPairs out;
  auto it = input.find(name);
  if (it == input.end() || !it->is_array()) return out;
  for (const auto& t : *it) out.emplace_back(aws::string_or_empty(t, "Key"), aws::string_or_empty(t, "Value"));
  return out;
}

nlohmann::json render_tags(const topic::StringPairs& tags) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [k, v] : tags) out.push_back({{"Key", k}, {"Value", v}});
  return out;
}

}  // namespace sluice::sns
