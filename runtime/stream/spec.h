#pragma once
// The Stream resource: its kind definition (every spec field once: shards,
// mode, retention, record size, encryption, consumers, fidelity limits, tags)
// and the typed spec the engine applies. The same definition validates
// manifests and the admin API in the sidecar, specs in the operator, and
// generates the CRD and reference page (tools/crdgen).
//
// This file is the sluice::stream_spec target: no store, no engine, no HTTP.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/common/resource.h"

namespace sluice::stream {

const resource::KindDef& stream_kind();

struct StreamSpec {
  std::string stream_name;  // spec.streamName, else metadata.name
  bool on_demand = false;
  uint32_t shard_count = 1;
  int64_t retention_hours = 24;
  int64_t max_record_kib = 1024;
  std::string encryption_key;  // empty: no encryption
  bool fidelity = false;
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<std::string> consumers;
};

// Validate against the kind and read. An empty error list means success.
StreamSpec parse_stream_spec(const resource::json& spec, const std::string& name,
                             std::vector<resource::SpecError>& errors);

}  // namespace sluice::stream
