// The queue trigger counts what its options say: visible messages, plus those in
// flight (by default) and delayed (when asked); work waiting and in flight are
// reported apart, for scale-to-zero and the in-flight floor.

#include "operator/queue/queue_trigger.h"

#include <gtest/gtest.h>

namespace sluice::queue_trigger {
namespace {

using nlohmann::json;

TEST(QueueTrigger, CountsWhatItsOptionsSay) {
  Depth d{10, 5, 3};
  auto defaults = reading(d, json::object());
  EXPECT_EQ(defaults.backlog, 15);
  EXPECT_EQ(defaults.waiting, 10);
  EXPECT_EQ(defaults.in_flight, 5);
  EXPECT_EQ(reading(d, {{"includeInFlight", false}}).backlog, 10);
  EXPECT_EQ(reading(d, {{"includeDelayed", true}}).backlog, 18);
}

TEST(QueueTrigger, ItsFieldsAreTheTriggersOwn) {
  const auto& kind = queue_trigger();
  EXPECT_EQ(kind.key, "queue");
  auto field = autoscaler::trigger_field(kind);
  for (const char* name : {"name", "targetBacklogPerReplica", "activationBacklog", "includeInFlight", "includeDelayed"})
    EXPECT_TRUE(resource::find_field(field.fields, name)) << name;
}

}  // namespace
}  // namespace sluice::queue_trigger
