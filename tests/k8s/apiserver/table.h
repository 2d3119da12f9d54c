#pragma once
// Server-side printing: meta.k8s.io/v1 Table responses with the type's columns
// (CRD additionalPrinterColumns or the built-in row's columns), `date` cells turned
// into ages as the real server does, and rows[].object as PartialObjectMetadata.

#include <chrono>
#include <string>
#include <vector>

#include "tests/k8s/apiserver/json_util.h"
#include "tests/k8s/apiserver/kinds.h"

namespace sluice::test_apiserver {

// apimachinery's duration.HumanDuration: "45s", "5m", "3m20s", "2d", "3y12d".
std::string human_duration(std::chrono::seconds d);

// include_object: "Metadata" (default), "Object" or "None".
Json make_table(const ResourceType& type, const std::vector<Json>& objects, const std::string& resource_version,
                const std::string& include_object, Clock::time_point now);

// The cells of one row (exposed for tests).
Json table_cells(const ResourceType& type, const Json& object, Clock::time_point now);

}  // namespace sluice::test_apiserver
