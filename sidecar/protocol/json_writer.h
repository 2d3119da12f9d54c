#pragma once
// JSON text for AWS JSON 1.0 responses. Produces what nlohmann's
// dump(-1, ' ', false, error_handler_t::replace) produces, but copies runs of
// plain characters in bulk: a ReceiveMessage of ten 1 KiB bodies spent most of
// its serialization time escaping one byte at a time.

#include <nlohmann/json.hpp>

#include <string>

namespace sluice::protocol {

// Appends `value` to `out`. Strings that are not valid UTF-8 have each bad
// sequence replaced by U+FFFD (one per maximal subpart, as nlohmann does).
void write_json(const nlohmann::json& value, std::string& out);
std::string to_json_text(const nlohmann::json& value);

}  // namespace sluice::protocol
