#include "sidecar/kinesis/actions.h"

#include <array>

namespace sluice::kinesis {

std::span<const aws::Action<Kinesis>> actions() {
  static constexpr std::array<aws::Action<Kinesis>, 39> kActions = {{
      {"AddTagsToStream", add_tags_to_stream},
      {"CreateStream", create_stream},
      {"DecreaseStreamRetentionPeriod", decrease_stream_retention_period},
      {"DeleteResourcePolicy", delete_resource_policy},
      {"DeleteStream", delete_stream},
      {"DeregisterStreamConsumer", deregister_stream_consumer},
      {"DescribeAccountSettings", describe_account_settings},
      {"DescribeLimits", describe_limits},
      {"DescribeStream", describe_stream},
      {"DescribeStreamConsumer", describe_stream_consumer},
      {"DescribeStreamSummary", describe_stream_summary},
      {"DisableEnhancedMonitoring", disable_enhanced_monitoring},
      {"EnableEnhancedMonitoring", enable_enhanced_monitoring},
      {"GetRecords", get_records},
      {"GetResourcePolicy", get_resource_policy},
      {"GetShardIterator", get_shard_iterator},
      {"IncreaseStreamRetentionPeriod", increase_stream_retention_period},
      {"ListShards", list_shards},
      {"ListStreamConsumers", list_stream_consumers},
      {"ListStreams", list_streams},
      {"ListTagsForResource", list_tags_for_resource},
      {"ListTagsForStream", list_tags_for_stream},
      {"MergeShards", merge_shards},
      {"PutRecord", put_record},
      {"PutRecords", put_records},
      {"PutResourcePolicy", put_resource_policy},
      {"RegisterStreamConsumer", register_stream_consumer},
      {"RemoveTagsFromStream", remove_tags_from_stream},
      {"SplitShard", split_shard},
      {"StartStreamEncryption", start_stream_encryption},
      {"StopStreamEncryption", stop_stream_encryption},
      {"SubscribeToShard", subscribe_to_shard},
      {"TagResource", tag_resource},
      {"UntagResource", untag_resource},
      {"UpdateAccountSettings", not_supported},
      {"UpdateMaxRecordSize", update_max_record_size},
      {"UpdateShardCount", update_shard_count},
      {"UpdateStreamMode", update_stream_mode},
      {"UpdateStreamWarmThroughput", not_supported},
  }};
  return kActions;
}

}  // namespace sluice::kinesis
