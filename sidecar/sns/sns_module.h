#pragma once
// SNS as the sidecar hosts it: the topic engine (runtime/topic/), the key that
// signs what it sends to HTTP/S endpoints, the services it delivers through
// (SQS queues in process, HTTP/S through the sidecar's client), its front end
// (SnsService) and the CloudWatch SNS metrics.
//
// Lifecycle: constructed by make_modules() after the SQS module, whose queues it
// delivers into and which must outlive it; recover() loads topics and
// subscriptions and resumes delivery; drain() (at shutdown) stops delivering.

#include <memory>

#include "runtime/common/queue_targets.h"
#include "runtime/topic/delivery.h"
#include "runtime/topic/signing.h"
#include "runtime/topic/topic_resource.h"
#include "runtime/topic/topic_service.h"
#include "sidecar/module.h"
#include "sidecar/sns/sns_service.h"

namespace sluice::sns {

class SnsModule final : public Module {
 public:
  // `queues` (may be null: no SQS subscriptions are delivered) outlives the module.
  SnsModule(const ModuleContext& context, QueueTargets* queues);
  ~SnsModule() override;

  std::string_view name() const override { return "SNS"; }
  sluice::Result<std::string, Error> recover() override;
  std::vector<aws::Service*> services() override { return {&service_}; }
  std::vector<resource::Binding*> kinds() override { return {&topic_resources_, &subscription_resources_}; }
  std::vector<std::shared_ptr<prometheus::Collectable>> collectors() override;
  void drain() override { topics_.stop(); }

  topic::TopicService& topics() { return topics_; }
  const topic::SigningKey* signing_key() const { return signing_.get(); }

 private:
  const SidecarOptions& options_;
  std::string signing_error_;  // why there is no key, reported by recover()
  std::unique_ptr<topic::SigningKey> signing_;
  topic::TopicService topics_;
  SnsService service_;
  topic::TopicResources topic_resources_{topics_};
  topic::SubscriptionResources subscription_resources_{topics_};
};

// Where the messages' SigningCertURL, SubscribeURL and UnsubscribeURL point:
// --advertise-url, else this sidecar's API port on localhost.
std::string sns_base_url(const SidecarOptions& options);

}  // namespace sluice::sns
