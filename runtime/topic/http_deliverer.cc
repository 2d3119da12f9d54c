// Delivery to HTTP/S endpoints: one POST per message, as SNS sends them (its
// headers, its envelope or the raw message), several in flight per subscription.
// SNS counts any status from 200 to 499 as delivered and retries the rest, and
// requests that time out (15 seconds) or never connect.

#include "runtime/topic/delivery.h"
#include "runtime/topic/envelope.h"

namespace sluice::topic {
namespace {

constexpr std::chrono::milliseconds kTimeout{15000};

class HttpDeliverer final : public Deliverer {
 public:
  explicit HttpDeliverer(const DeliveryContext& context) : context_(context) {}

  size_t batch_size() const override { return 1; }
  size_t window() const override { return 16; }

  void deliver(const Target& target, const std::vector<PublishedPtr>& messages,
               std::function<void(std::vector<Attempt>)> done) override {
    const Published& m = *messages.front();
    HttpClientRequest r;
    r.url = target.endpoint;
    r.timeout = kTimeout;
    r.body = target.raw ? m.message_for(target.protocol) : notification_envelope(m, target, context_);
    r.headers = {
        {"Content-Type", target.content_type.empty() ? "text/plain; charset=UTF-8" : target.content_type},
        {"User-Agent", "Amazon Simple Notification Service Agent"},
        {"x-amz-sns-message-type", "Notification"},
        {"x-amz-sns-message-id", m.message_id},
        {"x-amz-sns-topic-arn", target.topic_arn},
        {"x-amz-sns-subscription-arn", target.subscription_arn},
    };
    if (target.raw) r.headers.emplace_back("x-amz-sns-rawdelivery", "true");
    context_.http->send(std::move(r), [done = std::move(done)](HttpClientReply reply) {
      Attempt a;
      if (reply.status < 200 || reply.status > 499)
        a = {Attempt::Outcome::retry, reply.status ? "HTTP" + std::to_string(reply.status) : "EndpointUnreachable",
             reply.status ? "The endpoint answered " + std::to_string(reply.status) : reply.error};
      done({a});
    });
  }

 private:
  const DeliveryContext& context_;
};

}  // namespace

std::unique_ptr<Deliverer> make_http_deliverer(const DeliveryContext& context) {
  return std::make_unique<HttpDeliverer>(context);
}

}  // namespace sluice::topic
