#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void delete_topic(Sns& sns, const aws::CallPtr& call) {
  auto key = parse_topic_arn(aws::string_or_empty(call->input(), "TopicArn"), "TopicArn");
  if (!key) return call->fail(key.error());
  sns.topics.delete_topic(key->arn(), answer(call));
}

}  // namespace sluice::sns
