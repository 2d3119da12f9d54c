#pragma once
// Helpers over the JSON of Kubernetes objects: metadata access, finalizers,
// status conditions (with kubectl-wait-compatible observedGeneration), and
// timestamps in RFC 3339.

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace sluice::controller {

using json = nlohmann::json;

std::string name_of(const json& object);
std::string namespace_of(const json& object);
int64_t generation_of(const json& object);
bool being_deleted(const json& object);
bool has_finalizer(const json& object, const std::string& finalizer);

std::string now_rfc3339();
std::string rfc3339(int64_t ms_since_epoch);
// How long ago metadata.deletionTimestamp was set (0 if it is not).
std::chrono::seconds deleting_for(const json& object);

// Sets condition `type` in status.conditions. lastTransitionTime changes only
// when the status does. Returns true if anything changed.
bool set_condition(json& status, const std::string& type, bool ok, const std::string& reason,
                   const std::string& message, int64_t observed_generation);
// The condition, or null.
const json* find_condition(const json& status, const std::string& type);

}  // namespace sluice::controller
