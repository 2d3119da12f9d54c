#pragma once
// What delivering needs and what one attempt returns. A Deliverer sends one
// protocol's messages (sqs_deliverer.cc, http_deliverer.cc); the Subscription
// (subscription.h) decides what to send, when to retry and where failures go.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/common/clock.h"
#include "runtime/common/http_client.h"
#include "runtime/common/queue_targets.h"
#include "runtime/common/scheduler.h"
#include "runtime/topic/published.h"
#include "runtime/topic/signing.h"

namespace sluice::topic {

// The services a subscription delivers through; they outlive every topic.
struct DeliveryContext {
  QueueTargets* queues = nullptr;
  HttpClient* http = nullptr;
  const SigningKey* signing = nullptr;             // null: envelopes are not signed
  std::string base_url = "http://localhost:4566";  // SigningCertURL, SubscribeURL and UnsubscribeURL point here
  Clock* clock = nullptr;
  Scheduler* scheduler = nullptr;
};

struct Attempt {
  enum class Outcome : uint8_t {
    delivered,
    retry,   // a server-side failure (unreachable, 5xx, timeout): retried by the policy
    failed,  // a client-side failure (the queue is gone, the message is refused): not retried
  };
  Outcome outcome = Outcome::delivered;
  std::string error_code;     // for the dead-letter message's ErrorCode attribute
  std::string error_message;  // and its ErrorMessage
};

// What a deliverer knows of the subscription it delivers for.
struct Target {
  std::string subscription_arn;
  std::string topic_arn;
  std::string protocol;  // sqs, http, https
  std::string endpoint;
  bool raw = false;
  bool fifo_topic = false;
  int signature_version = 1;
  std::string content_type;  // HTTP: requestPolicy.headerContentType, "" for the default
};

class Deliverer {
 public:
  virtual ~Deliverer() = default;
  // How many messages one deliver() call may carry, and how many calls may be in flight.
  virtual size_t batch_size() const = 0;
  virtual size_t window() const = 0;
  // Delivers `messages` (in order); `done` gets one attempt per message, in order,
  // from any thread, never inside deliver().
  virtual void deliver(const Target& target, const std::vector<PublishedPtr>& messages,
                       std::function<void(std::vector<Attempt>)> done) = 0;
};

std::unique_ptr<Deliverer> make_sqs_deliverer(const DeliveryContext& context);
// What an SQS subscription puts into its queue for `messages`, and what a
// queue's answer means for the subscription.
std::vector<QueueDelivery> queue_deliveries(const Target& target, const std::vector<PublishedPtr>& messages,
                                            const DeliveryContext& context);
Attempt attempt_of_queue_status(const Status<Error>& status);
std::unique_ptr<Deliverer> make_http_deliverer(const DeliveryContext& context);

}  // namespace sluice::topic
