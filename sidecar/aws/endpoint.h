#pragma once
// The AWS API port: one HTTP handler for every service. For each request it
//   1. picks the service: by the SigV4 credential scope (Authorization header or
//      presigned X-Amz-Credential), else the X-Amz-Target prefix (JSON), else the
//      query Version (or, without one, the one service that has the Action);
//   2. picks the wire protocol among those the service's model speaks;
//   3. decodes the input into the model's tree and checks it;
//   4. sets who is calling: account from the access key, region from the scope;
//   5. hands a Call to the service.
// A GET without an Action is offered to each service's serve_path() first (SNS
// serves its signing certificate so), before it is refused as MissingAction.
// Errors of the framework itself (no such service or operation, a malformed
// body, a missing Action, a wrong Version) are answered here, in the protocol
// the request came in; everything a service refuses goes through its own error
// map. Nothing a request contains can take the process down: whatever escapes
// becomes an InternalFailure answer here.
//
// Threading: handle() runs on the connection's event loop and never blocks.

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sidecar/aws/service.h"
#include "sidecar/server/http.h"

namespace sluice::metrics {
class Metrics;
class ActionMetrics;
}  // namespace sluice::metrics

namespace sluice::aws {

struct EndpointOptions {
  // The region of requests whose credential scope does not name one.
  std::string region = "us-east-1";
  // The account of callers whose access key is not a 12-digit account id.
  std::string default_account = "000000000000";
};

class Endpoint {
 public:
  // `services` outlive the endpoint. `metrics` may be null (tests).
  Endpoint(std::vector<Service*> services, EndpointOptions options, metrics::Metrics* metrics);

  void handle(server::HttpRequest&& request, server::Responder respond);

  const std::vector<Service*>& services() const { return services_; }

 private:
  void serve(const server::HttpRequest& request, const server::Responder& respond);
  void run(Service& service, const protocol::Operation& op, Wire wire, nlohmann::json input, RequestContext context,
           const server::Responder& respond);
  Service* by_signing_name(std::string_view name) const;
  Service* by_target_prefix(std::string_view prefix) const;
  Service* by_query(std::string_view version, std::string_view action) const;

  std::vector<Service*> services_;
  EndpointOptions options_;
  std::unordered_map<const protocol::Operation*, metrics::ActionMetrics*> action_metrics_;
};

}  // namespace sluice::aws
