#pragma once
// The table of SQS actions: one row per API operation of the model, each with
// its handler, one file per action in this folder. An operation missing from the
// table is answered as unknown; tests/actions_test.cc checks that every
// operation of the model has a row.

#include <span>

#include "sidecar/sqs/sqs_service.h"

namespace sluice::sqs {

std::span<const aws::Action<Sqs>> actions();

// One handler per action (send_message.cc, receive_message.cc, ...).
void add_permission(Sqs&, const aws::CallPtr&);
void cancel_message_move_task(Sqs&, const aws::CallPtr&);
void change_message_visibility(Sqs&, const aws::CallPtr&);
void change_message_visibility_batch(Sqs&, const aws::CallPtr&);
void create_queue(Sqs&, const aws::CallPtr&);
void delete_message(Sqs&, const aws::CallPtr&);
void delete_message_batch(Sqs&, const aws::CallPtr&);
void delete_queue(Sqs&, const aws::CallPtr&);
void get_queue_attributes(Sqs&, const aws::CallPtr&);
void get_queue_url(Sqs&, const aws::CallPtr&);
void list_dead_letter_source_queues(Sqs&, const aws::CallPtr&);
void list_message_move_tasks(Sqs&, const aws::CallPtr&);
void list_queue_tags(Sqs&, const aws::CallPtr&);
void list_queues(Sqs&, const aws::CallPtr&);
void purge_queue(Sqs&, const aws::CallPtr&);
void receive_message(Sqs&, const aws::CallPtr&);
void remove_permission(Sqs&, const aws::CallPtr&);
void send_message(Sqs&, const aws::CallPtr&);
void send_message_batch(Sqs&, const aws::CallPtr&);
void set_queue_attributes(Sqs&, const aws::CallPtr&);
void start_message_move_task(Sqs&, const aws::CallPtr&);
void tag_queue(Sqs&, const aws::CallPtr&);
void untag_queue(Sqs&, const aws::CallPtr&);

}  // namespace sluice::sqs
