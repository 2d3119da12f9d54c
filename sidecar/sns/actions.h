#pragma once
// The table of SNS actions: one row per API operation of the model, each with
// its handler, one file per action in this folder. The operations Sluice does
// not serve (SMS, mobile push, phone numbers, the SMS sandbox) share one handler
// that refuses them in AWS's shape; tests/actions_test.cc checks that every
// operation of the model has a row.

#include <span>

#include "sidecar/sns/sns_service.h"

namespace sluice::sns {

std::span<const aws::Action<Sns>> actions();

// One handler per action (publish.cc, subscribe.cc, ...).
void add_permission(Sns&, const aws::CallPtr&);
void confirm_subscription(Sns&, const aws::CallPtr&);
void create_topic(Sns&, const aws::CallPtr&);
void delete_topic(Sns&, const aws::CallPtr&);
void get_data_protection_policy(Sns&, const aws::CallPtr&);
void get_subscription_attributes(Sns&, const aws::CallPtr&);
void get_topic_attributes(Sns&, const aws::CallPtr&);
void list_subscriptions(Sns&, const aws::CallPtr&);
void list_subscriptions_by_topic(Sns&, const aws::CallPtr&);
void list_tags_for_resource(Sns&, const aws::CallPtr&);
void list_topics(Sns&, const aws::CallPtr&);
void publish(Sns&, const aws::CallPtr&);
void publish_batch(Sns&, const aws::CallPtr&);
void put_data_protection_policy(Sns&, const aws::CallPtr&);
void remove_permission(Sns&, const aws::CallPtr&);
void set_subscription_attributes(Sns&, const aws::CallPtr&);
void set_topic_attributes(Sns&, const aws::CallPtr&);
void subscribe(Sns&, const aws::CallPtr&);
void tag_resource(Sns&, const aws::CallPtr&);
void unsubscribe(Sns&, const aws::CallPtr&);
void untag_resource(Sns&, const aws::CallPtr&);
// SMS, platform applications and endpoints, phone numbers, the SMS sandbox (not_supported.cc).
void not_supported(Sns&, const aws::CallPtr&);

}  // namespace sluice::sns
