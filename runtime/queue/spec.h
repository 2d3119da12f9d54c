#pragma once
// The Queue resource: its kind definition (queue_kind(), whose spec fields are
// the attribute table's, plus queueName, tags and deletionPolicy) and the typed
// spec an engine applies. The same definition validates manifests and the admin
// API in the sidecar, validates specs in the operator, and generates the CRD and
// the reference page (tools/crdgen), so none of them can disagree.
//
// This file and attributes.{h,cc} form the sluice::queue_spec target: no store,
// no engine, no HTTP, so that the operator links only this much of SQS.

#include <string>
#include <vector>

#include "runtime/common/resource.h"
#include "runtime/queue/attributes.h"

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

const resource::KindDef& queue_kind();

// Validates a Queue spec against queue_kind() and reads it. `name` is
// metadata.name. An empty error list means success.
QueueSpec parse_queue_spec(const resource::json& spec, const std::string& name,
                           std::vector<resource::SpecError>& errors);

// Turns names into ARNs (same account and region) so the attributes are complete.
QueueAttributes resolve_queue_spec(const QueueSpec& spec, const std::string& account, const std::string& region);

}  // namespace sluice::queue
