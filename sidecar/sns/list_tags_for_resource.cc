#include "sidecar/sns/actions.h"
#include "sidecar/sns/topic_lookup.h"

namespace sluice::sns {

void list_tags_for_resource(Sns& sns, const aws::CallPtr& call) {
  auto t = find_topic(sns, call, "ResourceArn");
  if (!t) return;
  call->succeed({{"Tags", render_tags(t->tags())}});
}

}  // namespace sluice::sns
