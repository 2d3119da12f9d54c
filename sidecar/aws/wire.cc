#include "sidecar/aws/wire.h"

#include "sidecar/protocol/cbor_codec.h"
#include "sidecar/protocol/event_stream.h"
#include "sidecar/protocol/json_writer.h"
#include "sidecar/protocol/query_codec.h"

namespace sluice::aws {
namespace {

using json = nlohmann::json;
using protocol::Protocol;

constexpr const char* kFrameworkNamespace = "com.amazon.coral.service#";
constexpr const char* kCborContentType = "application/x-amz-cbor-1.1";

std::string json_content_type(const protocol::ServiceModel* model) {
  const std::string version = model && !model->json_version().empty() ? model->json_version() : "1.0";
  return "application/x-amz-json-" + version;
}

// The model of "no service": framework errors for requests no service claimed.
const protocol::ServiceModel& no_service() {
  static const auto model = protocol::ServiceModel::parse(
      R"({"service": "", "apiVersion": "", "protocols": ["query", "json"], "operations": {}, "shapes": {},
          "errors": {}})");
  return *model;
}

server::HttpResponse with_request_id(int status, std::string content_type, std::string body,
                                     const std::string& request_id) {
  server::HttpResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("x-amzn-RequestId", request_id);
  return r;
}

}  // namespace

server::HttpResponse render_output(const protocol::ServiceModel& model, const protocol::Operation& op, const Wire& wire,
                                   const json& output, const std::string& request_id) {
  if (wire.protocol == Protocol::query) {
    if (wire.accept_json) {
      json doc = {
          {op.name + "Response", {{op.result_wrapper, output}, {"ResponseMetadata", {{"RequestId", request_id}}}}}};
      return with_request_id(200, "application/json", protocol::to_json_text(doc), request_id);
    }
    return with_request_id(200, "text/xml", protocol::encode_query_response(model, op, output, request_id), request_id);
  }
  if (wire.cbor) return with_request_id(200, kCborContentType, protocol::write_cbor(output, op.output), request_id);
  return with_request_id(200, json_content_type(&model), protocol::to_json_text(output), request_id);
}

server::HttpResponse render_event_stream(std::function<void(std::shared_ptr<server::BodyWriter>)> start,
                                         const std::string& request_id) {
  auto r = with_request_id(200, "application/vnd.amazon.eventstream", "", request_id);
  r.stream = std::move(start);
  return r;
}

std::string render_event(const protocol::ServiceModel& model, const Wire& wire, const std::string& event_type,
                         const protocol::Shape* shape, const json& payload) {
  return protocol::encode_event({{":message-type", "event"},
                                 {":event-type", event_type},
                                 {":content-type", wire.cbor ? kCborContentType : json_content_type(&model)}},
                                wire.cbor ? protocol::write_cbor(payload, shape) : protocol::to_json_text(payload));
}

std::string render_event_error(const protocol::ServiceModel& model, const Wire& wire, const protocol::AwsError& error) {
  const json payload{{"message", error.message}};
  return protocol::encode_event({{":message-type", "exception"},
                                 {":exception-type", error.type},
                                 {":content-type", wire.cbor ? kCborContentType : json_content_type(&model)}},
                                wire.cbor ? protocol::write_cbor(payload, nullptr) : protocol::to_json_text(payload));
}

server::HttpResponse render_error(const protocol::ServiceModel* model, const Wire& wire,
                                  const protocol::AwsError& error, const std::string& request_id) {
  if (wire.protocol == Protocol::query) {
    if (wire.accept_json) {
      json doc = {
          {"Error", {{"Type", error.sender ? "Sender" : "Receiver"}, {"Code", error.code}, {"Message", error.message}}},
          {"RequestId", request_id}};
      return with_request_id(error.status, "application/json", protocol::to_json_text(doc), request_id);
    }
    return with_request_id(error.status, "text/xml",
                           protocol::encode_query_error(model ? *model : no_service(), error, request_id), request_id);
  }
  const std::string ns = error.framework ? kFrameworkNamespace : model ? model->error_namespace() : std::string();
  const json body{{"__type", ns + error.type}, {"message", error.message}};
  auto r = wire.cbor
               ? with_request_id(error.status, kCborContentType, protocol::write_cbor(body, nullptr), request_id)
               : with_request_id(error.status, json_content_type(model), protocol::to_json_text(body), request_id);
  // Query-compatible services (SQS) let SDKs map JSON errors to the query codes.
  if (model && model->query_compatible())
    r.headers.emplace_back("x-amzn-query-error", error.code + (error.sender ? ";Sender" : ";Receiver"));
  return r;
}

}  // namespace sluice::aws
