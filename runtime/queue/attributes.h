#pragma once
// Queue attributes: the typed settings of one queue, their limits, and their AWS
// spelling. attribute_defs() is the single table every reader of queue settings
// uses: CreateQueue/SetQueueAttributes/GetQueueAttributes (AWS names and string
// values), manifests and the admin API (spec names, typed values, via spec.h),
// the CRD schema and reference page (tools/crdgen), and the persisted queue
// record. Defaults are the member initialisers of QueueAttributes; bounds are the
// limits below; rules between attributes are attribute_rules().

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/queue/errors.h"
#include "runtime/storage/durability.h"

namespace sluice::queue {

enum class DeduplicationScope : uint8_t { queue, message_group };
enum class FifoThroughputLimit : uint8_t { per_queue, per_message_group_id };
enum class RedrivePermission : uint8_t { allow_all, deny_all, by_queue };

struct RedrivePolicy {
  std::string dead_letter_target_arn;
  int max_receive_count = 0;
  bool operator==(const RedrivePolicy&) const = default;
};

struct RedriveAllowPolicy {
  RedrivePermission permission = RedrivePermission::allow_all;
  std::vector<std::string> source_queue_arns;
  bool operator==(const RedriveAllowPolicy&) const = default;
};

struct QueueAttributes {
  int delay_seconds = 0;
  int maximum_message_size = 1'048'576;
  int message_retention_period = 345'600;
  int receive_message_wait_time_seconds = 0;
  int visibility_timeout = 30;
  std::optional<RedrivePolicy> redrive_policy;
  std::optional<RedriveAllowPolicy> redrive_allow_policy;
  std::string policy;
  bool fifo_queue = false;
  bool content_based_deduplication = false;
  DeduplicationScope deduplication_scope = DeduplicationScope::queue;
  FifoThroughputLimit fifo_throughput_limit = FifoThroughputLimit::per_queue;
  std::string kms_master_key_id;
  int kms_data_key_reuse_period_seconds = 300;
  bool sqs_managed_sse_enabled = true;
  // Not an AWS attribute: how acknowledged writes are kept (see storage/store.h).
  storage::Durability durability = storage::Durability::sync;

  bool operator==(const QueueAttributes&) const = default;
};

// Limits that are not queue attributes.
namespace limits {
inline constexpr int kMaxDelaySeconds = 900;
inline constexpr int kMinMessageBytes = 1024;
inline constexpr int kMaxMessageBytes = 1'048'576;
inline constexpr int kMinRetentionSeconds = 60;
inline constexpr int kMaxRetentionSeconds = 1'209'600;
inline constexpr int kMaxWaitSeconds = 20;
inline constexpr int kMaxVisibilitySeconds = 43'200;
inline constexpr int kMinKmsReuseSeconds = 60;
inline constexpr int kMaxKmsReuseSeconds = 86'400;
inline constexpr size_t kMaxQueueNameLength = 80;
inline constexpr int kMaxBatchEntries = 10;
inline constexpr size_t kMaxBatchEntryIdLength = 80;
inline constexpr size_t kMaxBatchBytes = 1'048'576;  // all entries of a SendMessageBatch together
inline constexpr int kMaxMessageAttributes = 10;
inline constexpr size_t kMaxAttributeNameLength = 256;
inline constexpr size_t kMaxAttributeTypeLength = 256;
inline constexpr size_t kMaxDeduplicationIdLength = 128;
inline constexpr size_t kMaxGroupIdLength = 128;
inline constexpr size_t kMaxReceiveRequestAttemptIdLength = 128;
inline constexpr int kMinMaxReceiveCount = 1;
inline constexpr int kMaxMaxReceiveCount = 1000;
inline constexpr size_t kMaxRedriveSourceArns = 10;
inline constexpr int kMinMessages = 1;
inline constexpr int kMaxMessages = 10;
inline constexpr int64_t kDeduplicationIntervalMs = 5 * 60 * 1000;
inline constexpr int64_t kPurgeIntervalMs = 60 * 1000;
inline constexpr int64_t kRecreateAfterDeleteMs = 60 * 1000;
inline constexpr int kMaxMoveTaskRate = 500;
inline constexpr int kMaxListResults = 1000;
inline constexpr size_t kMaxTagsPerQueue = 50;
inline constexpr size_t kMaxTagKeyLength = 128;
inline constexpr size_t kMaxTagValueLength = 256;
inline constexpr uint64_t kMaxInflightStandard = 120'000;
inline constexpr uint64_t kMaxInflightFifo = 120'000;
}  // namespace limits

// One settable queue attribute.
struct AttributeDef {
  enum class Kind : uint8_t { integer, boolean, enumeration, text, redrive_policy, redrive_allow_policy };
  std::string_view aws_name;   // as in CreateQueue's Attributes map ("" if Sluice-only)
  std::string_view spec_name;  // as in a Queue manifest's spec
  Kind kind;
  int64_t min = 0, max = 0;                  // integer bounds, inclusive
  std::span<const std::string_view> values;  // enumeration values, spelled as on the wire
  bool fifo_only = false;                    // exists only on FIFO queues
  bool create_only = false;                  // cannot be changed after creation
  std::string_view doc;
  Status (*set)(QueueAttributes&, std::string_view value);
  std::string (*get)(const QueueAttributes&);
};

// A rule between attributes: `holds` checks it on typed attributes, `cel` is the
// same rule over a Queue's spec for the CRD (tools/crdgen).
struct AttributeRule {
  std::string_view attribute;  // the AWS name an error points at
  std::string_view cel;
  std::string_view message;
  bool (*holds)(const QueueAttributes&);
};

const std::vector<AttributeDef>& attribute_defs();
const std::vector<AttributeRule>& attribute_rules();
// The first rule `attrs` breaks, as an invalid Attributes.<name>.
Status check_rules(const QueueAttributes& attrs);
const AttributeDef* find_attribute(std::string_view aws_name);
const AttributeDef* find_spec_field(std::string_view spec_name);

// Applies attributes by AWS name, as CreateQueue and SetQueueAttributes do; on
// error nothing is applied. Checks names, value syntax, bounds and the rules that
// tie attributes together (FIFO-only names, high-throughput FIFO).
Status apply_attributes(QueueAttributes& attrs, const std::vector<std::pair<std::string, std::string>>& values,
                        bool creating);

// Every attribute that has an AWS name, rendered as GetQueueAttributes returns it
// (unset optional policies are left out; FIFO-only names only on FIFO queues).
std::vector<std::pair<std::string, std::string>> render_attributes(const QueueAttributes& attrs);

// The persisted form: every field, including the Sluice-only ones, by spec name.
std::vector<std::pair<std::string, std::string>> encode_attributes(const QueueAttributes& attrs);
Status decode_attributes(QueueAttributes& attrs, const std::vector<std::pair<std::string, std::string>>& values);

using storage::parse_durability;
using storage::to_string;

}  // namespace sluice::queue
