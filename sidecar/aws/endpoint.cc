#include "sidecar/aws/endpoint.h"

#include <iostream>

#include "runtime/common/arn.h"
#include "runtime/common/random.h"
#include "sidecar/aws/credential_scope.h"
#include "sidecar/metrics/metrics.h"
#include "sidecar/protocol/cbor_codec.h"
#include "sidecar/protocol/json_checks.h"
#include "sidecar/protocol/json_reader.h"
#include "sidecar/protocol/query_codec.h"

namespace sluice::aws {
namespace {

using json = nlohmann::json;
using protocol::AwsError;
using protocol::framework_error;
using protocol::Protocol;

bool is_form(std::string_view content_type) {
  return content_type.substr(0, 33) == "application/x-www-form-urlencoded";
}

bool is_cbor(std::string_view content_type) { return content_type.substr(0, 26) == "application/x-amz-cbor-1.1"; }

bool valid_region(std::string_view r) {
  if (r.empty() || r.size() > 32) return false;
  for (char c : r)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

// Answers a request once, whoever gets there first (a handler, or the catch below).
server::Responder once(server::Responder respond) {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  return [answered, respond = std::move(respond)](server::HttpResponse r) {
    if (!answered->exchange(true)) respond(std::move(r));
  };
}

}  // namespace

Endpoint::Endpoint(std::vector<Service*> services, EndpointOptions options, metrics::Metrics* metrics)
    : services_(std::move(services)), options_(std::move(options)) {
  for (Service* s : services_)
    for (const auto& [name, op] : s->model().operations())
      if (s->implements(name)) action_metrics_[&op] = metrics ? metrics->action(s->model().service(), name) : nullptr;
}

Service* Endpoint::by_signing_name(std::string_view name) const {
  for (Service* s : services_)
    if (s->model().signing_name() == name) return s;
  return nullptr;
}

Service* Endpoint::by_target_prefix(std::string_view prefix) const {
  for (Service* s : services_)
    if (!s->model().target_prefix().empty() && s->model().target_prefix() == prefix) return s;
  return nullptr;
}

Service* Endpoint::by_query(std::string_view version, std::string_view action) const {
  Service* found = nullptr;
  for (Service* s : services_) {
    if (!s->model().speaks(Protocol::query)) continue;
    if (!version.empty()) {
      if (s->model().api_version() == version) return s;
      continue;
    }
    // No Version: the one query service that has the action (older clients and
    // confirmation links omit it), if only one has.
    if (s->implements(action)) {
      if (found) return nullptr;
      found = s;
    }
  }
  return found;
}

void Endpoint::handle(server::HttpRequest&& request, server::Responder respond) {
  server::Responder answer = once(std::move(respond));
  try {
    serve(request, answer);
  } catch (const std::exception& e) {
    std::cerr << "aws: request to " << request.path << " failed: " << e.what() << "\n";
    answer(render_error(nullptr, Wire{}, protocol::internal_error("Internal error."), uuid4()));
  } catch (...) {
    answer(render_error(nullptr, Wire{}, protocol::internal_error("Internal error."), uuid4()));
  }
}

void Endpoint::serve(const server::HttpRequest& req, const server::Responder& respond) {
  RequestContext ctx;
  ctx.request_id = uuid4();
  ctx.host = std::string(req.header("host"));
  if (ctx.host.empty()) ctx.host = "localhost";
  ctx.trace_header = std::string(req.header("x-amzn-trace-id"));

  const std::string_view target = req.header("x-amz-target");
  Wire wire;
  wire.protocol = target.empty() ? Protocol::query : Protocol::json;
  // CBOR is the JSON 1.1 protocol's other encoding (Kinesis); the service is checked below.
  wire.cbor = wire.protocol == Protocol::json && is_cbor(req.header("content-type"));
  auto reject = [&](const protocol::ServiceModel* model, const AwsError& e) {
    respond(render_error(model, wire, e, ctx.request_id));
  };

  // Query parameters: the URL's, and a form body's. A presigned URL's credential is among them.
  protocol::FormParams params;
  if (wire.protocol == Protocol::query) {
    wire.accept_json = req.header("accept").find("application/json") != std::string_view::npos;
    // A parameter given twice (Action=SendMessage&Action=DeleteQueue) is refused,
    // in the URL, in the body, or across the two.
    if (auto e = protocol::parse_form(req.query, params)) return reject(nullptr, *e);
    if (req.method == "POST" && !req.body.empty()) {
      if (!is_form(req.header("content-type")))
        return reject(nullptr, framework_error("InvalidAction", 400,
                                               "Expected an X-Amz-Target header (JSON protocol) or a form-encoded "
                                               "body (query protocol)."));
      if (auto e = protocol::parse_form(req.body, params)) return reject(nullptr, *e);
    }
    // A plain GET of a file a service serves (SNS's signing certificate), not an API call.
    if (req.method == "GET" && !params.contains("Action"))
      for (Service* s : services_)
        if (auto r = s->serve_path(req)) {
          r->headers.emplace_back("x-amzn-RequestId", ctx.request_id);
          return respond(std::move(*r));
        }
  }

  std::optional<CredentialScope> scope = scope_from_authorization(req.header("authorization"));
  if (!scope)
    if (auto it = params.find("X-Amz-Credential"); it != params.end()) scope = parse_credential(it->second);
  ctx.access_key = scope ? scope->access_key : "";
  ctx.account = is_account_id(ctx.access_key) ? ctx.access_key : options_.default_account;
  ctx.region = scope && valid_region(scope->region) ? scope->region : options_.region;

  // 1. The service.
  Service* service = nullptr;
  if (scope) {
    service = by_signing_name(scope->service);
    if (!service)
      return reject(
          nullptr, framework_error(wire.protocol == Protocol::json ? "UnknownOperationException" : "InvalidAction", 400,
                                   "This endpoint does not serve the " + scope->service + " service."));
  }
  if (wire.protocol == Protocol::json) {
    const auto dot = target.find('.');
    if (!service && dot != std::string_view::npos) service = by_target_prefix(target.substr(0, dot));
    const protocol::ServiceModel* model = service ? &service->model() : nullptr;
    // 2-3. JSON: "<prefix>.<Operation>", exactly.
    const protocol::Operation* op = nullptr;
    if (model && model->speaks(Protocol::json) && dot != std::string_view::npos &&
        target.substr(0, dot) == model->target_prefix())
      op = model->operation(target.substr(dot + 1));
    if (!op || !service->implements(op->name))
      return reject(model, framework_error("UnknownOperationException", 400,
                                           "The requested operation " + std::string(target) + " is not supported."));
    if (wire.cbor && model->json_version() != "1.1") {
      wire.cbor = false;
      return reject(model, framework_error("SerializationException", 400,
                                           "This service does not accept application/x-amz-cbor-1.1."));
    }
    std::optional<json> input = req.body.empty() ? json::object()
                                : wire.cbor      ? protocol::read_cbor(req.body)
                                                 : protocol::read_json(req.body);
    if (!input || !input->is_object())
      return reject(model, framework_error("SerializationException", 400,
                                           wire.cbor ? "The request body is not a valid CBOR map."
                                                     : "The request body is not a valid JSON object."));
    if (auto e = protocol::check_types(*op->input, *input)) return reject(model, *e);
    if (auto name = protocol::check_required(*op->input, *input))
      return reject(model, service->to_aws_error(missing(*name).error));
    return run(*service, *op, wire, std::move(*input), std::move(ctx), respond);
  }

  // 2-3. Query: Action and Version in the URL or a form body, GET or POST.
  if (req.method != "POST" && req.method != "GET")
    return reject(nullptr, framework_error("InvalidAction", 405, "Method " + req.method + " is not supported."));
  auto action = params.find("Action");
  auto version = params.find("Version");
  const std::string_view version_text = version == params.end() ? std::string_view() : version->second;
  if (!service && action != params.end()) service = by_query(version_text, action->second);
  const protocol::ServiceModel* model = service ? &service->model() : nullptr;
  if (action == params.end())
    return reject(model, framework_error("MissingAction", 400, "The request must contain the parameter Action."));
  if (!service || !model->speaks(Protocol::query)) {
    if (!version_text.empty() && (!service || model->api_version() != version_text))
      return reject(
          model, framework_error("InvalidAction", 400,
                                 "The API version " + std::string(version_text) + " is not valid for this endpoint."));
    return reject(model, framework_error("InvalidAction", 400,
                                         "The action " + action->second + " is not valid for this endpoint."));
  }
  if (!version_text.empty() && version_text != model->api_version())
    return reject(model,
                  framework_error("InvalidAction", 400,
                                  "The API version " + std::string(version_text) + " is not valid for this endpoint."));
  const protocol::Operation* op = model->operation(action->second);
  if (!op || !service->implements(op->name))
    return reject(model, framework_error("InvalidAction", 400,
                                         "The action " + action->second + " is not valid for this endpoint."));
  json input;
  if (auto e = protocol::decode_query(*op->input, params, input)) return reject(model, *e);
  service->complete_from_path(req.path, ctx, *op, input);
  if (auto name = protocol::check_required(*op->input, input))
    return reject(model, service->to_aws_error(missing(*name).error));
  run(*service, *op, wire, std::move(input), std::move(ctx), respond);
}

void Endpoint::run(Service& service, const protocol::Operation& op, Wire wire, json input, RequestContext context,
                   const server::Responder& respond) {
  auto metrics = action_metrics_.find(&op);
  auto call = std::make_shared<Call>(service, op, wire, std::move(input), std::move(context), respond,
                                     metrics == action_metrics_.end() ? nullptr : metrics->second);
  try {
    service.run(call);
  } catch (const std::exception& e) {
    // A handler that throws is a bug; the request still gets an AWS-shaped answer.
    std::cerr << "aws: " << service.model().service() << "." << op.name << " failed: " << e.what() << "\n";
    call->fail_with(protocol::internal_error("Internal error while handling " + op.name + "."));
  }
}

}  // namespace sluice::aws
