#pragma once
// Topic ARNs as SNS reads them, and the lookups every topic action starts with.
// A topic's region and account are the ARN's, not the caller's: a request signed
// for us-east-1 may name a topic of eu-west-1, and an unsigned confirmation link
// names its topic only by ARN.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "runtime/topic/topic_service.h"
#include "sidecar/aws/call.h"
#include "sidecar/sns/sns_service.h"

namespace sluice::sns {

// "arn:aws:sns:<region>:<account>:<name>"; refusals name `field` and say why, as SNS does.
Result<topic::TopicKey, Error> parse_topic_arn(std::string_view arn, const std::string& field);

// The topic the input member `field` names; otherwise fails the call (a malformed
// ARN, no such topic: NotFound, or ResourceNotFound for ResourceArn) and returns null.
topic::TopicPtr find_topic(Sns& sns, const aws::CallPtr& call, const std::string& field = "TopicArn");
// The same for an ARN given directly.
topic::TopicPtr find_topic_arn(Sns& sns, const aws::CallPtr& call, const std::string& arn, const std::string& field);

// A subscription ARN: the topic's ARN and one more part.
Status<Error> check_subscription_arn(std::string_view arn);

// Tags as the API carries them: [{"Key": k, "Value": v}, ...].
topic::StringPairs parse_tags(const nlohmann::json& input, const char* name);
nlohmann::json render_tags(const topic::StringPairs& tags);

}  // namespace sluice::sns
