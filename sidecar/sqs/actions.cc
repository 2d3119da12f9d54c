#include "sidecar/sqs/actions.h"

#include <array>

namespace sluice::sqs {
namespace {

using A = aws::Action<Sqs>;

constexpr std::array kActions = {
    A{"AddPermission", add_permission},
    A{"CancelMessageMoveTask", cancel_message_move_task},
    A{"ChangeMessageVisibility", change_message_visibility},
    A{"ChangeMessageVisibilityBatch", change_message_visibility_batch},
    A{"CreateQueue", create_queue},
    A{"DeleteMessage", delete_message},
    A{"DeleteMessageBatch", delete_message_batch},
    A{"DeleteQueue", delete_queue},
    A{"GetQueueAttributes", get_queue_attributes},
    A{"GetQueueUrl", get_queue_url},
    A{"ListDeadLetterSourceQueues", list_dead_letter_source_queues},
    A{"ListMessageMoveTasks", list_message_move_tasks},
    A{"ListQueueTags", list_queue_tags},
    A{"ListQueues", list_queues},
    A{"PurgeQueue", purge_queue},
    A{"ReceiveMessage", receive_message},
    A{"RemovePermission", remove_permission},
    A{"SendMessage", send_message},
    A{"SendMessageBatch", send_message_batch},
    A{"SetQueueAttributes", set_queue_attributes},
    A{"StartMessageMoveTask", start_message_move_task},
    A{"TagQueue", tag_queue},
    A{"UntagQueue", untag_queue},
};

}  // namespace

std::span<const aws::Action<Sqs>> actions() { return kActions; }

}  // namespace sluice::sqs
