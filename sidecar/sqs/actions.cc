#include "sidecar/sqs/actions.h"

#include <array>

namespace sluice::sqs {
namespace {

constexpr std::array kActions = {
    Action{"AddPermission", add_permission},
    Action{"CancelMessageMoveTask", cancel_message_move_task},
    Action{"ChangeMessageVisibility", change_message_visibility},
    Action{"ChangeMessageVisibilityBatch", change_message_visibility_batch},
    Action{"CreateQueue", create_queue},
    Action{"DeleteMessage", delete_message},
    Action{"DeleteMessageBatch", delete_message_batch},
    Action{"DeleteQueue", delete_queue},
    Action{"GetQueueAttributes", get_queue_attributes},
    Action{"GetQueueUrl", get_queue_url},
    Action{"ListDeadLetterSourceQueues", list_dead_letter_source_queues},
    Action{"ListMessageMoveTasks", list_message_move_tasks},
    Action{"ListQueueTags", list_queue_tags},
    Action{"ListQueues", list_queues},
    Action{"PurgeQueue", purge_queue},
    Action{"ReceiveMessage", receive_message},
    Action{"RemovePermission", remove_permission},
    Action{"SendMessage", send_message},
    Action{"SendMessageBatch", send_message_batch},
    Action{"SetQueueAttributes", set_queue_attributes},
    Action{"StartMessageMoveTask", start_message_move_task},
    Action{"TagQueue", tag_queue},
    Action{"UntagQueue", untag_queue},
};

}  // namespace

std::span<const Action> actions() { return kActions; }

const Action* find_action(std::string_view name) {
  for (const auto& a : kActions)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace sluice::sqs
