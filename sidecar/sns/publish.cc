#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/messages.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void publish(Sns& sns, const aws::CallPtr& call) {
  const auto& in = call->input();
  if (in.contains("PhoneNumber"))
    return call->fail(fail(errc::unsupported, "PhoneNumber",
                           "Sluice does not send SMS: publish to a topic (TopicArn) instead of a PhoneNumber.")
                          .error);
  const std::string topic_arn = aws::string_or_empty(in, "TopicArn");
  const std::string target_arn = aws::string_or_empty(in, "TargetArn");
  if (!topic_arn.empty() && !target_arn.empty())
    return call->fail(fail(errc::invalid_argument, "TopicArn",
                           "Invalid parameter: TopicArn or TargetArn Reason: Only one of them may be specified")
                          .error);
  if (target_arn.find(":endpoint/") != std::string::npos)
    return call->fail(fail(errc::unsupported, "TargetArn",
                           "Sluice does not deliver to mobile push endpoints: publish to a topic instead.")
                          .error);
  if (topic_arn.empty() && target_arn.empty())
    return call->fail(fail(errc::invalid_argument, "TopicArn",
                           "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")
                          .error);
  const bool by_target = topic_arn.empty();
  auto t = find_topic_arn(sns, call, by_target ? target_arn : topic_arn, by_target ? "TargetArn" : "TopicArn");
  if (!t) return;
  topic::PublishEntry entry;
  if (auto s = parse_publish_entry(in, call->context(), entry); !s) return call->fail(s.error());
  std::vector<topic::PublishEntry> entries;
  entries.push_back(std::move(entry));
  sns.topics.publish(t, std::move(entries), [call](std::vector<Result<topic::PublishOutcome, Error>> results) {
    if (results.empty()) return call->fail(fail(errc::storage_failure, "", "The message was not published.").error);
    if (!results[0]) return call->fail(results[0].error());
    nlohmann::json out = {{"MessageId", results[0]->message_id}};
    if (!results[0]->sequence_number.empty()) out["SequenceNumber"] = results[0]->sequence_number;
    call->succeed(out);
  });
}

}  // namespace sluice::sns
