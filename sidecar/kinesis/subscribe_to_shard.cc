// SubscribeToShard: enhanced fan-out. The answer is an event stream on the
// request's own connection (HTTP/2 from the SDKs, chunked HTTP/1.1 from
// botocore): an initial-response, then one SubscribeToShardEvent per batch the
// engine pushes (runtime/stream/fan_out.h), in the request's protocol (JSON or
// CBOR), for up to 5 minutes. Errors found before the stream starts are
// ordinary answers; later ones are its last, exception, event.
#include "sidecar/aws/wire.h"
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/records.h"
#include "sidecar/kinesis/starting_position.h"

namespace sluice::kinesis {
namespace {

const protocol::Shape* event_shape(const protocol::Operation& op) {
  const auto* stream = op.output ? op.output->find_member("EventStream") : nullptr;
  const auto* event = stream && stream->shape ? stream->shape->find_member("SubscribeToShardEvent") : nullptr;
  return event ? event->shape : nullptr;
}

class EventStreamSubscriber final : public stream::Subscriber {
 public:
  EventStreamSubscriber(std::shared_ptr<server::BodyWriter> body, const aws::CallPtr& call)
      : body_(std::move(body)), call_(call), shape_(event_shape(call->operation())) {}

  bool push(const stream::PushEvent& e) override {
    nlohmann::json doc = {{"Records", records_json(e.records)}, {"MillisBehindLatest", e.millis_behind}};
    if (e.continuation) doc["ContinuationSequenceNumber"] = *e.continuation;
    if (!e.children.empty()) doc["ChildShards"] = children_json(e.children);
    return body_->write(aws::render_event(kinesis_model(), call_->wire(), "SubscribeToShardEvent", shape_, doc));
  }
  size_t backlog() const override { return body_->pending(); }
  void end(const std::optional<Error>& error) override {
    if (error) body_->write(aws::render_event_error(kinesis_model(), call_->wire(), call_->describe(*error)));
    body_->close();
  }

 private:
  const std::shared_ptr<server::BodyWriter> body_;
  const aws::CallPtr call_;
  const protocol::Shape* shape_;
};

}  // namespace

void subscribe_to_shard(Kinesis& k, const aws::CallPtr& call) {
  const auto& in = call->input();
  auto from = starting_position(in["StartingPosition"], kStartingPositionMembers, in["ShardId"]);
  if (!from.ok()) return call->fail(from.error());
  auto sub = k.streams.subscribe(in["ConsumerARN"], *from, call->context().account);
  if (!sub.ok()) return call->fail(sub.error());
  call->succeed_streaming([call, sub = *sub](std::shared_ptr<server::BodyWriter> body) {
    body->on_cancel([sub] { sub->cancel(); });
    body->write(
        aws::render_event(kinesis_model(), call->wire(), "initial-response", nullptr, nlohmann::json::object()));
    sub->start(std::make_shared<EventStreamSubscriber>(std::move(body), call));
  });
}

}  // namespace sluice::kinesis
