// RegisterStreamConsumer, DeregisterStreamConsumer, DescribeStreamConsumer,
// ListStreamConsumers: enhanced fan-out consumers, up to 20 per stream.
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {
namespace {

// The consumer a call names: ConsumerARN, or StreamARN and ConsumerName.
Result<stream::ConsumerView, Error> find_consumer(Kinesis& k, const aws::CallPtr& call) {
  const auto& in = call->input();
  if (in.contains("ConsumerARN")) {
    const std::string arn = in["ConsumerARN"];
    auto c = k.streams.consumer(arn);
    if (!c || arn.find(":" + call->context().account + ":") == std::string::npos)
      return fail(errc::not_found, "ConsumerARN", "Consumer " + arn + " not found.");
    return *c;
  }
  if (!in.contains("StreamARN") || !in.contains("ConsumerName"))
    return invalid("ConsumerARN", "", "Either ConsumerARN or both StreamARN and ConsumerName must be given.");
  auto s = find_stream(k.streams, call, "StreamName", "StreamARN");
  if (!s.ok()) return Failure<Error>{s.error()};
  auto c = k.streams.consumer(*s, in["ConsumerName"]);
  if (!c)
    return fail(errc::not_found, "ConsumerName", "Consumer " + in["ConsumerName"].get<std::string>() + " not found.");
  return *c;
}

}  // namespace

void register_stream_consumer(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call, "StreamName", "StreamARN");
  if (!s.ok()) return call->fail(s.error());
  auto stream = *s;
  const std::string name = call->input()["ConsumerName"];
  k.streams.update(stream, stream::changes::register_consumer(name), [&k, call, stream, name](Status<Error> st) {
    if (!st.ok()) return call->fail(st.error());
    auto c = k.streams.consumer(stream, name);
    if (!c) return call->fail({errc::not_found, "ConsumerName", "Consumer " + name + " not found.", std::nullopt});
    call->succeed({{"Consumer", consumer_json(*c)}});
  });
}

void deregister_stream_consumer(Kinesis& k, const aws::CallPtr& call) {
  auto c = find_consumer(k, call);
  if (!c.ok()) return call->fail(c.error());
  auto s = k.streams.find(c->stream_arn);
  if (!s) return call->fail({errc::not_found, "StreamARN", "Stream " + c->stream_arn + " not found.", std::nullopt});
  k.streams.update(s, stream::changes::deregister_consumer(c->name), [&k, call, arn = c->arn](Status<Error> st) {
    if (!st.ok()) return call->fail(st.error());
    k.streams.end_subscriptions(arn);
    call->succeed();
  });
}

void describe_stream_consumer(Kinesis& k, const aws::CallPtr& call) {
  auto c = find_consumer(k, call);
  if (!c.ok()) return call->fail(c.error());
  nlohmann::json d = consumer_json(*c);
  d["StreamARN"] = c->stream_arn;
  call->succeed({{"ConsumerDescription", std::move(d)}});
}

void list_stream_consumers(Kinesis& k, const aws::CallPtr& call) {
  auto s = find_stream(k.streams, call, "StreamName", "StreamARN");
  if (!s.ok()) return call->fail(s.error());
  auto limit = int_member(call, "MaxResults", 1, 10000, 100);
  if (!limit.ok()) return call->fail(limit.error());
  std::string after;
  if (call->input().contains("NextToken")) {
    auto start = page_start(call->input()["NextToken"], k.clock.now());
    if (!start.ok()) return call->fail(start.error());
    after = *start;
  }
  nlohmann::json out = nlohmann::json::array();
  bool started = after.empty(), more = false;
  std::string last;
  for (const auto& c : k.streams.consumers(*s)) {
    if (!started) {
      started = c.name == after;
      continue;
    }
    if (out.size() == size_t(*limit)) {
      more = true;
      break;
    }
    out.push_back(consumer_json(c));
    last = c.name;
  }
  nlohmann::json answer_doc = {{"Consumers", std::move(out)}};
  if (more) answer_doc["NextToken"] = page_token(last, k.clock.now());
  call->succeed(answer_doc);
}

}  // namespace sluice::kinesis
