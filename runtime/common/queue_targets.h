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

#include "runtime/common/error.h"

namespace sluice {

struct QueueDelivery {
  struct Attribute {
    std::string data_type;  // String, Number, Binary (optionally with a ".label")
    std::string value;      // the string value, or a binary value's raw bytes
  };
  std::string body;
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
};

}  // namespace sluice
