#pragma once
// Standalone mode: the same Kubernetes-style YAML a cluster would `kubectl apply`
// (apiVersion sluice.io/v1alpha1, kind, metadata, spec), loaded from a directory
// at start-up and applied to the engines, for every kind the modules serve.
//
// Loading is all or nothing: every file is parsed and every resource checked
// first (its kind's schema and rules, duplicates, references to other resources
// of the set or already served, and what the engine would refuse), and only a
// clean set is applied, each resource after the ones it refers to. Every error
// names its file, its resource and its field.

#include <string>
#include <vector>

#include "runtime/common/resource_binding.h"
#include "sidecar/admin/admin_api.h"

namespace sluice::manifests {

struct LoadedResource {
  std::string file;
  std::string kind;
  std::string ns;
  std::string name;      // metadata.name
  std::string resource;  // e.g. "Queue shop/orders"
  std::string detail;    // e.g. the queue's URL
};

struct LoadResult {
  std::vector<LoadedResource> loaded;
  std::vector<LoadedResource> skipped;  // kinds only the operator acts on (WorkerAutoscaler)
  std::vector<std::string> errors;      // "file: Queue ns/name: spec.field: message"
  bool ok() const { return errors.empty(); }
};

struct LoadOptions {
  admin::AdminConfig placement;            // region, account mapping, advertised URL
  std::vector<std::string> operator_only;  // kinds accepted and skipped
};

// Loads every *.yaml and *.yml file directly in `dir` (sorted by name).
LoadResult load_manifests(const std::string& dir, const std::vector<resource::Binding*>& kinds,
                          const LoadOptions& options);

}  // namespace sluice::manifests
