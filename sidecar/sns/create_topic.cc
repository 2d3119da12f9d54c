#include "sidecar/aws/params.h"
#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void create_topic(Sns& sns, const aws::CallPtr& call) {
  const auto& in = call->input();
  const auto& ctx = call->context();
  sns.topics.create_topic({ctx.region, ctx.account, aws::string_or_empty(in, "Name")},
                          aws::string_map(in, "Attributes"), parse_tags(in, "Tags"),
                          aws::string_or_empty(in, "DataProtectionPolicy"), [call](Result<topic::TopicPtr, Error> t) {
                            if (!t) return call->fail(t.error());
                            call->succeed({{"TopicArn", (*t)->arn()}});
                          });
}

}  // namespace sluice::sns
