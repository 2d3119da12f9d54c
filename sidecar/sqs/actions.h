#pragma once
// The table of SQS actions: one row per API operation of the model, each with
// its handler (one file per action in this folder). An action missing from the
// table is reported as unsupported; tests/actions_test.cc checks that every
// operation of the model has a row.

#include <span>
#include <string_view>

#include "sidecar/sqs/call.h"

namespace sluice::sqs {

using ActionHandler = void (*)(const SqsCallPtr&);

struct Action {
  std::string_view name;
  ActionHandler handler;
};

std::span<const Action> actions();
const Action* find_action(std::string_view name);

// One handler per action (send_message.cc, receive_message.cc, ...).
void add_permission(const SqsCallPtr&);
void cancel_message_move_task(const SqsCallPtr&);
void change_message_visibility(const SqsCallPtr&);
void change_message_visibility_batch(const SqsCallPtr&);
void create_queue(const SqsCallPtr&);
void delete_message(const SqsCallPtr&);
void delete_message_batch(const SqsCallPtr&);
void delete_queue(const SqsCallPtr&);
void get_queue_attributes(const SqsCallPtr&);
void get_queue_url(const SqsCallPtr&);
void list_dead_letter_source_queues(const SqsCallPtr&);
void list_message_move_tasks(const SqsCallPtr&);
void list_queue_tags(const SqsCallPtr&);
void list_queues(const SqsCallPtr&);
void purge_queue(const SqsCallPtr&);
void receive_message(const SqsCallPtr&);
void remove_permission(const SqsCallPtr&);
void send_message(const SqsCallPtr&);
void send_message_batch(const SqsCallPtr&);
void set_queue_attributes(const SqsCallPtr&);
void start_message_move_task(const SqsCallPtr&);
void tag_queue(const SqsCallPtr&);
void untag_queue(const SqsCallPtr&);

}  // namespace sluice::sqs
