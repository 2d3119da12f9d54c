#pragma once
// The Stream kind served by a StreamService (see runtime/common/resource_binding.h):
// its manifests and the admin API's /v1/namespaces/{ns}/streams/{name} land here.

#include "runtime/common/resource_binding.h"
#include "runtime/stream/stream_service.h"

namespace sluice::stream {

class StreamResources final : public resource::Binding {
 public:
  explicit StreamResources(StreamService& streams) : streams_(streams) {}

  const resource::KindDef& kind() const override;
  sluice::Status<Error> check(const resource::Placement& where, const std::string& name, const resource::json& spec,
                              const resource::PendingLookup& pending) const override;
  void apply(const resource::Placement& where, const std::string& name, const resource::json& spec,
             resource::ApplyDone done) override;
  std::optional<resource::json> status(const resource::Placement& where, const std::string& name) const override;
  void remove(const resource::Placement& where, const std::string& name, resource::RemoveDone done) override;
  std::vector<resource::json> list(const std::string& base_url) const override;
  size_t size() const override { return streams_.size(); }

  static resource::json status_of(Stream& stream);

 private:
  StreamService& streams_;
};

}  // namespace sluice::stream
