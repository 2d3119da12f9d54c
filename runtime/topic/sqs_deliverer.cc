// Delivery into Sluice queues, in-process: one QueueTargets::deliver call per
// batch, which the queue stores in one commit, or (a subscription that is
// caught up) staged into the publish's own commit (Subscription::take_inline).

#include <algorithm>

#include "runtime/common/digest.h"
#include "runtime/topic/delivery.h"
#include "runtime/topic/envelope.h"

namespace sluice::topic {

Attempt attempt_of_queue_status(const Status<Error>& s) {
  if (s.ok()) return {};
  const Error& e = s.error();
  switch (e.code) {
    case errc::storage_failure:
    case errc::throttled:
    case errc::limit_exceeded:
      return {Attempt::Outcome::retry, "InternalError", e.message};
    case errc::not_found:
      return {Attempt::Outcome::failed, "AWS.SimpleQueueService.NonExistentQueue", e.message};
    default:
      return {Attempt::Outcome::failed, "InvalidParameter", e.message};
  }
}

std::vector<QueueDelivery> queue_deliveries(const Target& target, const std::vector<PublishedPtr>& messages,
                                            const DeliveryContext& context) {
  std::vector<QueueDelivery> out;
  out.reserve(messages.size());
  for (const auto& m : messages) {
    QueueDelivery d;
    if (target.raw) {
      d.body = m->message_for("sqs");
      const std::string md5 = m->memo(Published::Memo::raw_sqs_md5, [&] {
        const Md5 digest = sluice::md5(d.body);
        return std::string(digest.begin(), digest.end());
      });
      d.body_md5.emplace();
      std::copy(md5.begin(), md5.end(), d.body_md5->begin());
      // String.Array is SQS's String with the label "Array": it passes unchanged.
      for (const auto& [name, a] : m->entry.attributes) d.attributes[name] = {a.data_type, a.value};
    } else {
      d.body = notification_envelope(*m, target, context);
    }
    d.group_id = m->entry.group_id;
    if (target.fifo_topic) d.deduplication_id = m->entry.deduplication_id;
    d.trace_header = m->entry.trace_header;
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

class SqsDeliverer final : public Deliverer {
 public:
  explicit SqsDeliverer(const DeliveryContext& context) : context_(context) {}

  size_t batch_size() const override { return 32; }
  size_t window() const override { return 4; }

  void deliver(const Target& target, const std::vector<PublishedPtr>& messages,
               std::function<void(std::vector<Attempt>)> done) override {
    std::vector<QueueDelivery> out = queue_deliveries(target, messages, context_);
    // The queue may answer inline; deliverers answer never inside deliver().
    auto* scheduler = context_.scheduler;
    context_.queues->deliver(target.endpoint, std::move(out),
                             [done = std::move(done), scheduler](std::vector<Status<Error>> statuses) mutable {
                               std::vector<Attempt> attempts;
                               attempts.reserve(statuses.size());
                               for (const auto& s : statuses) attempts.push_back(attempt_of_queue_status(s));
                               scheduler->post([done = std::move(done), attempts = std::move(attempts)]() mutable {
                                 done(std::move(attempts));
                               });
                             });
  }

 private:
  const DeliveryContext& context_;
};

}  // namespace

std::unique_ptr<Deliverer> make_sqs_deliverer(const DeliveryContext& context) {
  return std::make_unique<SqsDeliverer>(context);
}

}  // namespace sluice::topic
