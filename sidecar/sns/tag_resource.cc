#include <set>

#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void tag_resource(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call, "ResourceArn");
  if (!t) return;
  auto tags = parse_tags(call->input(), "Tags");
  std::set<std::string> keys;
  for (const auto& [k, v] : tags)
    if (!keys.insert(k).second)
      return call->fail(fail(errc::invalid_argument, "Tags", "Duplicated keys are not allowed.").error);
  sns.topics.tag(t, tags, answer(call));
}

}  // namespace sluice::sns
