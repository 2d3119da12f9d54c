#pragma once
// Queues as a delivery target for other engines: SNS fan-out writes into Sluice
// queues in-process, with no HTTP hop, through this interface, which the queue
// engine implements (runtime/queue/queue_service.h). The topic engine knows no
// queue type, and the queue engine no topic.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/common/digest.h"
#include "runtime/common/error.h"
#include "runtime/storage/store.h"

namespace sluice {

struct QueueDelivery {
  struct Attribute {
    std::string data_type;  // String, Number, Binary (optionally with a ".label")
    std::string value;      // the string value, or a binary value's raw bytes
  };
  std::string body;
  std::optional<Md5> body_md5;  // when the sender has it already (one body fanned out to many queues)
  std::map<std::string, Attribute> attributes;
  std::string group_id;          // FIFO queues (and fair standard queues)
  std::string deduplication_id;  // FIFO queues
  std::string trace_header;      // becomes the AWSTraceHeader system attribute
};

struct QueueTargetInfo {
  bool fifo = false;
};

class QueueTargets {
 public:
  virtual ~QueueTargets() = default;
  // The queue `arn` names, if this runtime serves it.
  virtual std::optional<QueueTargetInfo> describe_queue(std::string_view arn) const = 0;
  // Sends the messages into the queue; `done` gets one status per message, in
  // order (not_found when the queue is gone). `done` may run on any thread,
  // inline or later.
  virtual void deliver(std::string_view arn, std::vector<QueueDelivery> messages,
                       std::function<void(std::vector<Status<Error>>)> done) = 0;

  // The same, written into the caller's own commit to `store`: SNS stores a
  // publish and its copies in every queue in one commit, so fan-out costs one
  // write, not one per queue. Null when the queue is gone or keeps its messages
  // in another store (nothing was staged: deliver() instead). Otherwise the
  // caller commits `batch` with at least `durability` and must then call
  // `committed` with the outcome; `statuses` (one per message, in order) hold
  // from then on, and the messages become receivable only then.
  struct Staged {
    std::vector<Status<Error>> statuses;
    storage::Durability durability = storage::Durability::sync;
    std::function<void(bool ok)> committed;
  };
  virtual std::optional<Staged> stage(std::string_view arn, std::vector<QueueDelivery> messages,
                                      const storage::Store& store, storage::WriteBatch& batch) = 0;
};

}  // namespace sluice
