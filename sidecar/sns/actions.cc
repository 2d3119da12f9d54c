#include "sidecar/sns/actions.h"

#include <array>

namespace sluice::sns {
namespace {

using A = aws::Action<Sns>;

constexpr std::array kActions = {
    A{"AddPermission", add_permission},
    A{"CheckIfPhoneNumberIsOptedOut", not_supported},
    A{"ConfirmSubscription", confirm_subscription},
    A{"CreatePlatformApplication", not_supported},
    A{"CreatePlatformEndpoint", not_supported},
    A{"CreateSMSSandboxPhoneNumber", not_supported},
    A{"CreateTopic", create_topic},
    A{"DeleteEndpoint", not_supported},
    A{"DeletePlatformApplication", not_supported},
    A{"DeleteSMSSandboxPhoneNumber", not_supported},
    A{"DeleteTopic", delete_topic},
    A{"GetDataProtectionPolicy", get_data_protection_policy},
    A{"GetEndpointAttributes", not_supported},
    A{"GetPlatformApplicationAttributes", not_supported},
    A{"GetSMSAttributes", not_supported},
    A{"GetSMSSandboxAccountStatus", not_supported},
    A{"GetSubscriptionAttributes", get_subscription_attributes},
    A{"GetTopicAttributes", get_topic_attributes},
    A{"ListEndpointsByPlatformApplication", not_supported},
    A{"ListOriginationNumbers", not_supported},
    A{"ListPhoneNumbersOptedOut", not_supported},
    A{"ListPlatformApplications", not_supported},
    A{"ListSMSSandboxPhoneNumbers", not_supported},
    A{"ListSubscriptions", list_subscriptions},
    A{"ListSubscriptionsByTopic", list_subscriptions_by_topic},
    A{"ListTagsForResource", list_tags_for_resource},
    A{"ListTopics", list_topics},
    A{"OptInPhoneNumber", not_supported},
    A{"Publish", publish},
    A{"PublishBatch", publish_batch},
    A{"PutDataProtectionPolicy", put_data_protection_policy},
    A{"RemovePermission", remove_permission},
    A{"SetEndpointAttributes", not_supported},
    A{"SetPlatformApplicationAttributes", not_supported},
    A{"SetSMSAttributes", not_supported},
    A{"SetSubscriptionAttributes", set_subscription_attributes},
    A{"SetTopicAttributes", set_topic_attributes},
    A{"Subscribe", subscribe},
    A{"TagResource", tag_resource},
    A{"Unsubscribe", unsubscribe},
    A{"UntagResource", untag_resource},
    A{"VerifySMSSandboxPhoneNumber", not_supported},
};

}  // namespace

std::span<const aws::Action<Sns>> actions() { return kActions; }

}  // namespace sluice::sns
