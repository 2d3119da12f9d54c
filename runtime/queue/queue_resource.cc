#include "runtime/queue/queue_resource.h"

#include "runtime/queue/spec.h"

namespace sluice::queue {
namespace {

using resource::json;

// A spec that passed resource::validate() and still does not parse is the engine's fault.
Result<QueueSpec> typed(const json& spec, const std::string& name) {
  std::vector<resource::SpecError> errors;
  QueueSpec parsed = parse_queue_spec(spec, name, errors);
  if (!errors.empty()) return fail(errc::invalid_argument, errors.front().field, errors.front().message);
  return parsed;
}

}  // namespace

const resource::KindDef& QueueResources::kind() const { return queue_kind(); }

json QueueResources::status_of(Queue& q, const std::string& base_url) {
  auto c = q.counts();
  const auto& id = q.identity();
  return {{"queueName", q.name()},
          {"queueUrl", base_url + "/" + id.account + "/" + q.name()},
          {"queueArn", q.arn()},
          {"accountId", id.account},
          {"approximateNumberOfMessages", c.visible},
          {"approximateNumberOfMessagesNotVisible", c.inflight},
          {"approximateNumberOfMessagesDelayed", c.delayed},
          {"oldestMessageSentTimestamp", c.oldest_sent_ms},
          {"createdTimestamp", q.created_ms()}};
}

sluice::Status<Error> QueueResources::check(const resource::Placement& where, const std::string& name, const json& spec,
                                            const resource::PendingLookup& pending) const {
  auto parsed = typed(spec, name);
  if (!parsed.ok()) return Failure<Error>{parsed.error()};
  QueueAttributes attrs = resolve_queue_spec(*parsed, where.account, where.region);
  QueueKey key{where.region, where.account, parsed->queue_name};
  // A dead-letter queue of the same set is not there yet: check its type from its spec.
  const std::string& dlq = parsed->dead_letter_target_queue;
  if (const json* other = dlq.empty() ? nullptr : pending("Queue", dlq)) {
    auto target = typed(*other, dlq);
    if (target.ok() && target->attributes.fifo_queue != attrs.fifo_queue)
      return fail(errc::invalid_argument, "spec.redrivePolicy.deadLetterTargetQueue",
                  "a dead-letter queue must be of the same type (FIFO or standard) as its source");
    attrs.redrive_policy.reset();  // checked against the engine once the target exists
  }
  return queues_.check_apply(key, attrs);
}

void QueueResources::apply(const resource::Placement& where, const std::string& name, const json& spec,
                           resource::ApplyDone done) {
  auto parsed = typed(spec, name);
  if (!parsed.ok()) return done(Failure<Error>{parsed.error()});
  QueueKey key{where.region, where.account, parsed->queue_name};
  queues_.apply_queue(key, resolve_queue_spec(*parsed, where.account, where.region), parsed->tags,
                      [done = std::move(done), base = where.base_url](Result<QueuePtr> q) {
                        if (!q.ok()) return done(Failure<Error>{q.error()});
                        done(status_of(**q, base));
                      });
}

std::optional<json> QueueResources::status(const resource::Placement& where, const std::string& name) const {
  auto q = queues_.find(where.region, where.account, name);
  if (!q) return std::nullopt;
  return status_of(*q, where.base_url);
}

void QueueResources::remove(const resource::Placement& where, const std::string& name, resource::RemoveDone done) {
  queues_.delete_queue({where.region, where.account, name}, /*api=*/false, std::move(done));
}

std::vector<json> QueueResources::list(const std::string& base_url) const {
  std::vector<json> out;
  for (const auto& q : queues_.all()) out.push_back(status_of(*q, base_url));
  return out;
}

}  // namespace sluice::queue
