#include "sidecar/sqs/sqs_api.h"

#include <iostream>

#include "runtime/common/arn.h"
#include "runtime/common/random.h"
#include "sidecar/metrics/metrics.h"
#include "sidecar/protocol/json_checks.h"
#include "sidecar/protocol/json_reader.h"
#include "sidecar/protocol/query_codec.h"
#include "sidecar/sqs/actions.h"

namespace sluice::sqs {
namespace {

using json = nlohmann::json;
constexpr std::string_view kTargetPrefix = "AmazonSQS.";
constexpr std::string_view kApiVersion = "2012-11-05";

// The access key id from "AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, ...".
std::string access_key_of(std::string_view authorization) {
  auto at = authorization.find("Credential=");
  if (at == std::string_view::npos) return {};
  auto rest = authorization.substr(at + 11);
  return std::string(rest.substr(0, rest.find('/')));
}

std::string signing_service_of(std::string_view authorization) {
  auto at = authorization.find("Credential=");
  if (at == std::string_view::npos) return {};
  auto rest = authorization.substr(at + 11);
  for (int i = 0; i < 3; ++i) {
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return {};
    rest.remove_prefix(slash + 1);
  }
  return std::string(rest.substr(0, rest.find('/')));
}

bool is_form(std::string_view content_type) {
  return content_type.substr(0, 33) == "application/x-www-form-urlencoded";
}

protocol::AwsError framework_error(const char* type, std::string message) {
  return {type, type, 400, true, std::move(message)};
}

}  // namespace

SqsApi::SqsApi(queue::QueueService& queues, SqsConfig config, metrics::Metrics& metrics)
    : model_(protocol::ServiceModel::parse(kSqsModelJson)),
      config_(std::move(config)),
      env_{queues, *model_, config_},
      metrics_(metrics) {
  for (const auto& a : actions()) metrics_.action("sqs", a.name);
}

SqsApi::~SqsApi() = default;

bool SqsApi::accepts(const server::HttpRequest& req) const {
  auto target = req.header("x-amz-target");
  if (!target.empty()) return target.substr(0, kTargetPrefix.size()) == kTargetPrefix;
  auto service = signing_service_of(req.header("authorization"));
  if (!service.empty()) return service == "sqs";
  // Unsigned query requests: SQS's API version, or any request this front-end can answer.
  return true;
}

void SqsApi::handle(server::HttpRequest&& req, server::Responder respond) {
  Caller caller;
  caller.request_id = uuid4();
  caller.access_key = access_key_of(req.header("authorization"));
  caller.account = is_account_id(caller.access_key) ? caller.access_key : config_.default_account;
  caller.host = std::string(req.header("host"));
  if (caller.host.empty()) caller.host = "localhost";

  auto target = req.header("x-amz-target");
  if (!target.empty()) {
    auto reject = [&](const protocol::AwsError& e) {
      respond(render_error(*model_, Wire::json, e, caller.request_id));
    };
    const protocol::Operation* op = model_->operation(target.substr(kTargetPrefix.size()));
    if (!op || !find_action(op->name))
      return reject(framework_error("UnknownOperationException",
                                    "The requested operation " + std::string(target) + " is not supported."));
    std::optional<json> input = req.body.empty() ? json::object() : protocol::read_json(req.body);
    if (!input || !input->is_object())
      return reject(framework_error("SerializationException", "The request body is not a valid JSON object."));
    if (auto e = protocol::check_types(*op->input, *input)) return reject(*e);
    if (auto e = protocol::check_required(*op->input, *input)) return reject(*e);
    return dispatch(Wire::json, *op, std::move(*input), std::move(caller), std::move(respond));
  }

  // Query protocol: parameters in a form body, in the URL, or both.
  auto reject = [&](const protocol::AwsError& e) {
    respond(render_error(*model_, Wire::query, e, caller.request_id));
  };
  if (req.method != "POST" && req.method != "GET")
    return reject({"InvalidAction", "InvalidAction", 405, true, "Method " + req.method + " is not supported."});
  protocol::FormParams params = protocol::parse_form(req.query);
  if (req.method == "POST" && !req.body.empty()) {
    if (!is_form(req.header("content-type")))
      return reject({"InvalidAction", "InvalidAction", 400, true,
                     "Expected an X-Amz-Target header (JSON protocol) or a form-encoded body (query protocol)."});
    for (auto& [k, v] : protocol::parse_form(req.body)) params[k] = std::move(v);
  }
  auto action = params.find("Action");
  if (action == params.end())
    return reject({"MissingAction", "MissingAction", 400, true, "The request must contain the parameter Action."});
  if (auto version = params.find("Version"); version != params.end() && version->second != kApiVersion)
    return reject({"InvalidAction", "InvalidAction", 400, true,
                   "The API version " + version->second + " is not valid for this endpoint."});
  const protocol::Operation* op = model_->operation(action->second);
  if (!op || !find_action(op->name))
    return reject({"InvalidAction", "InvalidAction", 400, true,
                   "The action " + action->second + " is not valid for this endpoint."});
  json input;
  if (auto e = protocol::decode_query(*op->input, params, input)) return reject(*e);
  if (req.path.size() > 1) caller.path_queue_url = "http://" + caller.host + req.path;
  if (!input.contains("QueueUrl") && !caller.path_queue_url.empty() && op->input->find_member("QueueUrl"))
    input["QueueUrl"] = caller.path_queue_url;
  if (auto e = protocol::check_required(*op->input, input)) return reject(*e);
  dispatch(Wire::query, *op, std::move(input), std::move(caller), std::move(respond));
}

void SqsApi::dispatch(Wire wire, const protocol::Operation& op, json input, Caller caller,
                      server::Responder respond) {
  const Action* action = find_action(op.name);
  auto call = std::make_shared<SqsCall>(env_, wire, op, std::move(input), std::move(caller), std::move(respond),
                                        metrics_.action("sqs", op.name));
  try {
    action->handler(call);
  } catch (const std::exception& e) {
    // Library exceptions stop here; the request still gets an AWS-shaped answer.
    std::cerr << "sqs: " << op.name << " failed: " << e.what() << "\n";
    if (!call->answered()) call->fail(protocol::internal_error("Internal error while handling " + op.name + "."));
  }
}

}  // namespace sluice::sqs
