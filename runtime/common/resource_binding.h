#pragma once
// A resource kind bound to the engine that serves it in this process: what the
// sidecar's admin API (PUT/GET/DELETE /v1/namespaces/{ns}/{plural}/{name}) and
// its manifest loader call, whatever the kind. Each engine implements one per
// kind it serves (runtime/queue/queue_resource.h), and sidecar/modules.cc lists
// them.
//
// Names: `name` is the engine's name for the resource (KindDef::engine_name:
// spec.queueName or metadata.name). Specs have passed resource::validate().
// Statuses are JSON objects with the kind's status fields.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/common/error.h"
#include "runtime/common/resource.h"

namespace sluice::resource {

// Where a namespace's resources live in this runtime, and how clients reach it.
struct Placement {
  std::string ns;
  std::string region;
  std::string account;   // the namespace's account
  std::string base_url;  // the AWS endpoint of this runtime, for URLs in statuses
};

using StatusResult = sluice::Result<json, Error>;
using ApplyDone = std::function<void(StatusResult)>;
using RemoveDone = std::function<void(sluice::Status<Error>)>;
// The spec of another resource of a set being applied together, or null.
using PendingLookup = std::function<const json*(std::string_view kind, std::string_view name)>;

class Binding {
 public:
  virtual ~Binding() = default;

  virtual const KindDef& kind() const = 0;

  // What apply() would refuse, checked against what exists and against the
  // other resources of a set (a dead-letter queue of the wrong type), without
  // changing anything: a set of manifests is applied all or nothing.
  virtual sluice::Status<Error> check(const Placement& where, const std::string& name, const json& spec,
                                      const PendingLookup& pending) const = 0;
  // Creates or updates; answers with the resource's status once it is durable.
  virtual void apply(const Placement& where, const std::string& name, const json& spec, ApplyDone done) = 0;
  virtual std::optional<json> status(const Placement& where, const std::string& name) const = 0;
  virtual void remove(const Placement& where, const std::string& name, RemoveDone done) = 0;

  // Every resource of the kind, with its status (and namespace-free identity:
  // account and name).
  virtual std::vector<json> list(const std::string& base_url) const = 0;
  virtual size_t size() const = 0;
};

}  // namespace sluice::resource
