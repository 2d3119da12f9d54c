#pragma once
// The Topic and Subscription kinds served by a TopicService (see
// runtime/common/resource_binding.h): their manifests and the admin API's
// /v1/namespaces/{ns}/topics/{name} and .../subscriptions/{name} land here.

#include "runtime/common/resource_binding.h"
#include "runtime/topic/topic_service.h"

namespace sluice::topic {

class TopicResources final : public resource::Binding {
 public:
  explicit TopicResources(TopicService& topics) : topics_(topics) {}

  const resource::KindDef& kind() const override;
  sluice::Status<Error> check(const resource::Placement& where, const std::string& name, const resource::json& spec,
                              const resource::PendingLookup& pending) const override;
  void apply(const resource::Placement& where, const std::string& name, const resource::json& spec,
             resource::ApplyDone done) override;
  std::optional<resource::json> status(const resource::Placement& where, const std::string& name) const override;
  void remove(const resource::Placement& where, const std::string& name, resource::RemoveDone done) override;
  std::vector<resource::json> list(const std::string& base_url) const override;
  size_t size() const override { return topics_.size(); }

  static resource::json status_of(Topic& topic);

 private:
  TopicService& topics_;
};

class SubscriptionResources final : public resource::Binding {
 public:
  explicit SubscriptionResources(TopicService& topics) : topics_(topics) {}

  const resource::KindDef& kind() const override;
  sluice::Status<Error> check(const resource::Placement& where, const std::string& name, const resource::json& spec,
                              const resource::PendingLookup& pending) const override;
  void apply(const resource::Placement& where, const std::string& name, const resource::json& spec,
             resource::ApplyDone done) override;
  std::optional<resource::json> status(const resource::Placement& where, const std::string& name) const override;
  void remove(const resource::Placement& where, const std::string& name, resource::RemoveDone done) override;
  std::vector<resource::json> list(const std::string& base_url) const override;
  size_t size() const override { return topics_.all_subscriptions().size(); }

  static resource::json status_of(const TopicService& topics, const SubscriptionPtr& subscription);

 private:
  TopicService& topics_;
};

}  // namespace sluice::topic
