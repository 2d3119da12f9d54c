#pragma once
// Reads a WorkerAutoscaler manifest (YAML, as users kubectl-apply it) into the
// typed Spec with the operator's own parser, so the simulation runs exactly the
// spec the example documents.

#include <string>

#include "operator/autoscaler/spec.h"

namespace sluice::bench {

// Throws std::runtime_error naming the file and every problem.
autoscaler::Spec load_spec_file(const std::string& path);

}  // namespace sluice::bench
