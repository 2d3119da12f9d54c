#pragma once
// The table of Kinesis actions: one row per API operation the front end serves,
// each with its handler; a file per action, or per family of small ones
// (tags.cc, settings.cc, consumers.cc, resharding.cc, account.cc).
// tests/actions_test.cc checks that every operation of the model has a row.

#include <span>

#include "sidecar/kinesis/kinesis_service.h"

namespace sluice::kinesis {

std::span<const aws::Action<Kinesis>> actions();

void create_stream(Kinesis&, const aws::CallPtr&);
void delete_stream(Kinesis&, const aws::CallPtr&);
void describe_stream(Kinesis&, const aws::CallPtr&);
void describe_stream_summary(Kinesis&, const aws::CallPtr&);
void list_streams(Kinesis&, const aws::CallPtr&);
void list_shards(Kinesis&, const aws::CallPtr&);
void put_record(Kinesis&, const aws::CallPtr&);
void put_records(Kinesis&, const aws::CallPtr&);
void get_shard_iterator(Kinesis&, const aws::CallPtr&);
void get_records(Kinesis&, const aws::CallPtr&);
void subscribe_to_shard(Kinesis&, const aws::CallPtr&);
// tags.cc
void add_tags_to_stream(Kinesis&, const aws::CallPtr&);
void remove_tags_from_stream(Kinesis&, const aws::CallPtr&);
void list_tags_for_stream(Kinesis&, const aws::CallPtr&);
void tag_resource(Kinesis&, const aws::CallPtr&);
void untag_resource(Kinesis&, const aws::CallPtr&);
void list_tags_for_resource(Kinesis&, const aws::CallPtr&);
// settings.cc
void increase_stream_retention_period(Kinesis&, const aws::CallPtr&);
void decrease_stream_retention_period(Kinesis&, const aws::CallPtr&);
void enable_enhanced_monitoring(Kinesis&, const aws::CallPtr&);
void disable_enhanced_monitoring(Kinesis&, const aws::CallPtr&);
void update_max_record_size(Kinesis&, const aws::CallPtr&);
void start_stream_encryption(Kinesis&, const aws::CallPtr&);
void stop_stream_encryption(Kinesis&, const aws::CallPtr&);
void update_stream_mode(Kinesis&, const aws::CallPtr&);
void put_resource_policy(Kinesis&, const aws::CallPtr&);
void get_resource_policy(Kinesis&, const aws::CallPtr&);
void delete_resource_policy(Kinesis&, const aws::CallPtr&);
// resharding.cc
void split_shard(Kinesis&, const aws::CallPtr&);
void merge_shards(Kinesis&, const aws::CallPtr&);
void update_shard_count(Kinesis&, const aws::CallPtr&);
// consumers.cc
void register_stream_consumer(Kinesis&, const aws::CallPtr&);
void deregister_stream_consumer(Kinesis&, const aws::CallPtr&);
void describe_stream_consumer(Kinesis&, const aws::CallPtr&);
void list_stream_consumers(Kinesis&, const aws::CallPtr&);
// account.cc
void describe_limits(Kinesis&, const aws::CallPtr&);
void describe_account_settings(Kinesis&, const aws::CallPtr&);
void not_supported(Kinesis&, const aws::CallPtr&);

}  // namespace sluice::kinesis
