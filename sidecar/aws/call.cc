#include "sidecar/aws/call.h"

#include "sidecar/aws/service.h"
#include "sidecar/metrics/metrics.h"

namespace sluice::aws {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

Call::Call(Service& service, const protocol::Operation& op, Wire wire, nlohmann::json input, RequestContext context,
           server::Responder respond, metrics::ActionMetrics* metrics)
    : service_(service),
      op_(op),
      wire_(wire),
      input_(std::move(input)),
      context_(std::move(context)),
      respond_(std::move(respond)),
      metrics_(metrics) {}

void Call::succeed(const nlohmann::json& output) {
  if (answered_.exchange(true)) return;
  if (metrics_) metrics_->succeeded(seconds_since(started_));
  respond_(render_output(service_.model(), op_, wire_, output, context_.request_id));
}

void Call::succeed_streaming(std::function<void(std::shared_ptr<server::BodyWriter>)> start) {
  if (answered_.exchange(true)) return;
  if (metrics_) metrics_->succeeded(seconds_since(started_));
  respond_(render_event_stream(std::move(start), context_.request_id));
}

void Call::fail(const Error& error) { fail_with(describe(error)); }

protocol::AwsError Call::describe(const Error& error) const { return service_.to_aws_error(error); }

void Call::fail_with(const protocol::AwsError& error) {
  if (answered_.exchange(true)) return;
  if (metrics_) metrics_->failed(error.code, seconds_since(started_));
  respond_(render_error(&service_.model(), wire_, error, context_.request_id));
}

}  // namespace sluice::aws
