#pragma once
// Subscriptions as the API shows them: in lists (ListSubscriptions,
// ListSubscriptionsByTopic) and as GetSubscriptionAttributes' map, which holds
// what SNS always reports (PendingConfirmation, RawMessageDelivery, ...) beside
// the attributes that were set.

#include <nlohmann/json.hpp>

#include "runtime/topic/topic_service.h"

namespace sluice::sns {

nlohmann::json render_subscription(const topic::SubscriptionView& view);
nlohmann::json render_subscription_page(const topic::Page<topic::SubscriptionView>& page);
nlohmann::json subscription_attributes(const topic::SubscriptionView& view);

// The protocols Sluice delivers to (sqs, http, https); every other protocol SNS
// knows is refused with what Sluice does instead, and an unknown one as SNS does.
Status<Error> check_protocol(const std::string& protocol);

}  // namespace sluice::sns
