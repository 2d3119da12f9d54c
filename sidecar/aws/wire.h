#pragma once
// How a response goes back: the wire protocol of the request, chosen per
// request among those the service's model speaks, and the rendering of outputs
// and errors in each. The services never see this; the endpoint and the call do.
//
//   query      form parameters in, XML out (<OpResponse><OpResult>…), or JSON when
//              the request asks with Accept: application/json, as AWS answers it
//   json       AWS JSON 1.0 / 1.1: the model's jsonVersion names the Content-Type
//   cbor       the JSON protocol's documents in CBOR (application/x-amz-cbor-1.1:
//              Kinesis from the Java SDK and the KCL), errors included
//   (REST-JSON comes in as a further protocol without touching any service.)

#include <nlohmann/json.hpp>

#include <string>

#include "sidecar/protocol/aws_error.h"
#include "sidecar/protocol/service_model.h"
#include "sidecar/server/http.h"

namespace sluice::aws {

struct Wire {
  protocol::Protocol protocol = protocol::Protocol::json;
  bool accept_json = false;  // query only: Accept: application/json
  bool cbor = false;         // json only: the request came as application/x-amz-cbor-1.1, and so goes the answer
};

server::HttpResponse render_output(const protocol::ServiceModel& model, const protocol::Operation& op, const Wire& wire,
                                   const nlohmann::json& output, const std::string& request_id);
// The head of an event-stream answer; `start` writes its events.
server::HttpResponse render_event_stream(std::function<void(std::shared_ptr<server::BodyWriter>)> start,
                                         const std::string& request_id);
// One event of an event stream, its payload in the request's protocol (JSON or
// CBOR, `shape` naming the blobs and timestamps for CBOR); and an exception
// event, the error as the stream's last message.
std::string render_event(const protocol::ServiceModel& model, const Wire& wire, const std::string& event_type,
                         const protocol::Shape* shape, const nlohmann::json& payload);
std::string render_event_error(const protocol::ServiceModel& model, const Wire& wire, const protocol::AwsError& error);
// `model` is null when no service could be told apart (an unknown X-Amz-Target).
server::HttpResponse render_error(const protocol::ServiceModel* model, const Wire& wire,
                                  const protocol::AwsError& error, const std::string& request_id);

}  // namespace sluice::aws
