#pragma once
// Standalone mode: the same Kubernetes-style YAML a cluster would `kubectl apply`
// (apiVersion sluice.io/v1alpha1, kind Queue, metadata, spec), loaded from a
// directory at start-up and applied to the engines.
//
// Loading is all or nothing: every file is parsed and checked first (types,
// ranges, references between queues, compatibility with queues already in the
// data directory), and only a clean set is applied. Every error names its file,
// its resource and its field.

#include <string>
#include <vector>

#include "runtime/queue/queue_service.h"

namespace sluice::manifests {

struct LoadOptions {
  std::string region = "us-east-1";
  // The account every namespace maps to; empty: one account per namespace.
  std::string fixed_account = "000000000000";
};

struct LoadedResource {
  std::string file;
  std::string kind;
  std::string ns;
  std::string name;       // metadata.name
  std::string resource;   // e.g. "Queue shop/orders"
  std::string detail;     // e.g. the queue URL path
};

struct LoadResult {
  std::vector<LoadedResource> loaded;
  std::vector<LoadedResource> skipped;  // kinds only the operator acts on (WorkerAutoscaler)
  std::vector<std::string> errors;  // "file: Queue ns/name: spec.field: message"
  bool ok() const { return errors.empty(); }
};

std::string account_for(const LoadOptions& options, const std::string& ns);

// Loads every *.yaml and *.yml file directly in `dir` (sorted by name).
LoadResult load_manifests(const std::string& dir, queue::QueueService& queues, const LoadOptions& options);

}  // namespace sluice::manifests
