#pragma once
// The Queue resource spec: what a Queue manifest (and the admin API, which takes
// the same fields as JSON) may say about a queue. Field names, types and bounds
// come from kAttributeDefs (attributes.h) plus the few fields that are not queue
// attributes (queueName, tags, deletionPolicy, and dead-letter targets by name).
//
// Parsing is strict, like the CRD's structural schema: integers must be
// integers, booleans booleans, unknown fields are errors, and every error names
// its field ("spec.visibilityTimeout: ...").

#include <string>
#include <vector>

#include "runtime/queue/attributes.h"

namespace YAML {
class Node;
}

namespace sluice::queue {

enum class DeletionPolicy : uint8_t { remove, retain };  // "Delete" / "Retain"

struct QueueSpec {
  std::string queue_name;  // defaults to the resource's metadata.name
  QueueAttributes attributes;
  std::vector<std::pair<std::string, std::string>> tags;
  DeletionPolicy deletion_policy = DeletionPolicy::remove;
  // Dead-letter target and allowed sources given by queue name, in the same account.
  std::string dead_letter_target_queue;
  std::vector<std::string> redrive_source_queues;
};

struct SpecError {
  std::string field;  // e.g. "spec.redrivePolicy.maxReceiveCount"
  std::string message;
  std::string str() const { return field + ": " + message; }
};

// Parses a `spec` mapping. `default_name` is metadata.name. An empty error list
// means success.
QueueSpec parse_queue_spec(const YAML::Node& spec, const std::string& default_name, std::vector<SpecError>& errors);

// Turns names into ARNs (same account and region) so the attributes are complete.
QueueAttributes resolve_queue_spec(const QueueSpec& spec, const std::string& account, const std::string& region);

}  // namespace sluice::queue
