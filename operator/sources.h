#pragma once
// The registry of WorkerAutoscaler metric sources, one per trigger kind
// (kinds.cc): how each is read in this operator.

#include <map>
#include <memory>
#include <string>

#include "operator/autoscaler/trigger.h"
#include "operator/controller/informer.h"
#include "operator/runtime/runtime_client.h"

namespace sluice::operator_kinds {

// `informers` by kind; the sources read what they need from them.
std::map<std::string, std::unique_ptr<autoscaler::MetricSource>> make_sources(
    const std::map<std::string, controller::Informer*>& informers, runtime_client::RuntimeSet& runtimes);

}  // namespace sluice::operator_kinds
