#include "operator/autoscaler/spec.h"

#include <gtest/gtest.h>

#include <set>

#include "operator/kinds.h"

namespace sluice::autoscaler {
namespace {

using json = nlohmann::json;

Spec parse_spec(const json& spec, std::vector<SpecError>& errors) {
  return autoscaler::parse_spec(operator_kinds::workerautoscaler(), spec, errors);
}

TEST(AutoscalerSpec, TheDocumentedExampleParses) {
  json spec = json::parse(R"({
    "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "resize-worker"},
    "minReplicas": 0, "maxReplicas": 20,
    "triggers": [{"queue": {"name": "resize-jobs", "targetBacklogPerReplica": 100, "activationBacklog": 0,
                            "includeInFlight": true, "includeDelayed": false}}],
    "behavior": {"pollingIntervalSeconds": 15,
                 "scaleUp": {"stabilizationWindowSeconds": 0, "podsPerPeriod": 4, "percentPerPeriod": 100, "periodSeconds": 15},
                 "scaleDown": {"stabilizationWindowSeconds": 300, "percentPerPeriod": 100, "periodSeconds": 15},
                 "scaleToZeroCooldownSeconds": 300},
    "fallback": {"failureThreshold": 3, "replicas": 1}})");
  std::vector<SpecError> errors;
  Spec s = parse_spec(spec, errors);
  ASSERT_TRUE(errors.empty()) << errors[0].str();
  EXPECT_EQ(s.target.name, "resize-worker");
  EXPECT_EQ(s.max_replicas, 20);
  ASSERT_EQ(s.triggers.size(), 1u);
  EXPECT_EQ(s.triggers[0].target_backlog_per_replica, 100);
  EXPECT_EQ(s.triggers[0].source, "queue");
  EXPECT_EQ(s.triggers[0].name, "resize-jobs");
  EXPECT_EQ(s.triggers[0].options.value("includeInFlight", false), true);
  EXPECT_EQ(s.behavior.scale_up.pods_per_period, 4);
  EXPECT_FALSE(s.behavior.scale_down.pods_per_period);
  EXPECT_EQ(s.behavior.scale_down.percent_per_period, 100);
  ASSERT_TRUE(s.fallback);
  EXPECT_EQ(s.fallback->failure_threshold, 3);
}

TEST(AutoscalerSpec, AwsRecipeDerivesTheTarget) {
  std::vector<SpecError> errors;
  Spec s = parse_spec(json::parse(R"({"scaleTargetRef": {"name": "w"}, "maxReplicas": 5,
      "triggers": [{"queue": {"name": "q", "acceptableLatencySeconds": 10, "secondsPerMessage": 0.1}}]})"),
                      errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_DOUBLE_EQ(s.triggers[0].target_backlog_per_replica, 100);
}

TEST(AutoscalerSpec, ErrorsNameTheirFields) {
  std::vector<SpecError> errors;
  parse_spec(json::parse(R"({"scaleTargetRef": {}, "minReplicas": 5, "maxReplicas": 2,
      "triggers": [{"queue": {"name": "q"}}], "behavior": {"pollingIntervalSeconds": 0}})"),
             errors);
  std::set<std::string> fields;
  for (auto& e : errors) fields.insert(e.field);
  EXPECT_TRUE(fields.count("spec.scaleTargetRef.name"));
  EXPECT_TRUE(fields.count("spec.triggers[0].queue.targetBacklogPerReplica"));
  EXPECT_TRUE(fields.count("spec.behavior.pollingIntervalSeconds"));
  // Rules between fields are checked once every field is well-formed.
  errors.clear();
  parse_spec(json::parse(R"({"scaleTargetRef": {"name": "w"}, "minReplicas": 5, "maxReplicas": 2,
      "triggers": [{"queue": {"name": "q", "targetBacklogPerReplica": 5}}]})"),
             errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "spec.minReplicas");
  errors.clear();
  parse_spec(json::parse(R"({"scaleTargetRef": {"name": "w"}, "maxReplicas": 2, "triggers": []})"), errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "spec.triggers");
  errors.clear();
  parse_spec(json::parse(R"({"scaleTargetRef": {"name": "w"}, "maxReplicas": 2, "triggers": [{"stream": {}}]})"),
             errors);
  EXPECT_FALSE(errors.empty()) << "a trigger kind this operator does not know";
}

TEST(AutoscalerSpec, NamingAPolicyReplacesTheDefaults) {
  std::vector<SpecError> errors;
  Spec s = parse_spec(json::parse(R"({"scaleTargetRef": {"name": "w"}, "maxReplicas": 5,
      "triggers": [{"queue": {"name": "q", "targetBacklogPerReplica": 5}}],
      "behavior": {"scaleUp": {"podsPerPeriod": 2}}})"),
                      errors);
  ASSERT_TRUE(errors.empty()) << resource::describe(errors);
  EXPECT_EQ(s.behavior.scale_up.pods_per_period, 2);
  EXPECT_FALSE(s.behavior.scale_up.percent_per_period);
  EXPECT_EQ(s.behavior.scale_down.percent_per_period, 100) << "untouched";
}

}  // namespace
}  // namespace sluice::autoscaler
