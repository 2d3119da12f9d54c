#pragma once
// Checks on a request tree against the model, shared by both protocols:
// required members (each service says how it reports a missing one) and, for
// JSON bodies, value types (a string where an integer belongs is a
// SerializationException, as in AWS's JSON services).

#include <nlohmann/json.hpp>

#include <optional>

#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"

namespace sluice::protocol {

// The first required member that is absent or null, by name; nullopt if none.
std::optional<std::string> check_required(const Shape& shape, const nlohmann::json& value);
std::optional<AwsError> check_types(const Shape& shape, const nlohmann::json& value, const std::string& path = "");

}  // namespace sluice::protocol
