#include "runtime/topic/topic_resource.h"

#include "runtime/topic/spec.h"

namespace sluice::topic {
namespace {

using resource::json;

// A spec that passed resource::validate() and still does not parse is the engine's fault.
template <class Spec, class Parse>
Result<Spec, Error> typed(Parse parse, const json& spec, const std::string& name) {
  std::vector<resource::SpecError> errors;
  Spec parsed = parse(spec, name, errors);
  if (!errors.empty()) return fail(errc::invalid_argument, errors.front().field, errors.front().message);
  return parsed;
}

Result<TopicSpec, Error> topic_spec(const json& spec, const std::string& name) {
  return typed<TopicSpec>(parse_topic_spec, spec, name);
}

Result<SubscriptionSpec, Error> subscription_spec(const json& spec, const std::string& name,
                                                  const resource::Placement& where) {
  auto parsed = typed<SubscriptionSpec>(parse_subscription_spec, spec, name);
  if (parsed.ok()) resolve_subscription_spec(*parsed, where.region, where.account);
  return parsed;
}

SubscribeRequest request_of(const SubscriptionSpec& s, const resource::Placement& where, const std::string& name) {
  return SubscribeRequest{s.protocol, s.endpoint, s.attributes, where.account, name};
}

}  // namespace

// --- Topic ---------------------------------------------------------------------------

const resource::KindDef& TopicResources::kind() const { return topic_kind(); }

json TopicResources::status_of(Topic& t) {
  uint64_t confirmed = 0, pending = 0;
  for (const auto& s : t.subscriptions()) (s->confirmed() ? confirmed : pending)++;
  return {{"topicName", t.name()},           {"topicArn", t.arn()},
          {"accountId", t.key().account},    {"subscriptionsConfirmed", confirmed},
          {"subscriptionsPending", pending}, {"messagesPublished", t.probe().published.load()}};
}

sluice::Status<Error> TopicResources::check(const resource::Placement& where, const std::string& name, const json& spec,
                                            const resource::PendingLookup&) const {
  auto parsed = topic_spec(spec, name);
  if (!parsed.ok()) return Failure<Error>{parsed.error()};
  return topics_.check_apply_topic({where.region, where.account, parsed->topic_name}, parsed->attributes);
}

void TopicResources::apply(const resource::Placement& where, const std::string& name, const json& spec,
                           resource::ApplyDone done) {
  auto parsed = topic_spec(spec, name);
  if (!parsed.ok()) return done(Failure<Error>{parsed.error()});
  topics_.apply_topic({where.region, where.account, parsed->topic_name}, parsed->attributes, parsed->tags,
                      [done = std::move(done)](Result<TopicPtr, Error> t) {
                        if (!t.ok()) return done(Failure<Error>{t.error()});
                        done(status_of(**t));
                      });
}

std::optional<json> TopicResources::status(const resource::Placement& where, const std::string& name) const {
  auto t = topics_.find(TopicKey{where.region, where.account, name}.arn());
  if (!t) return std::nullopt;
  return status_of(*t);
}

void TopicResources::remove(const resource::Placement& where, const std::string& name, resource::RemoveDone done) {
  topics_.delete_topic(TopicKey{where.region, where.account, name}.arn(), std::move(done));
}

std::vector<json> TopicResources::list(const std::string&) const {
  std::vector<json> out;
  for (const auto& t : topics_.all()) out.push_back(status_of(*t));
  return out;
}

// --- Subscription ------------------------------------------------------------------------

const resource::KindDef& SubscriptionResources::kind() const { return subscription_kind(); }

json SubscriptionResources::status_of(const TopicService& topics, const SubscriptionPtr& s) {
  const auto v = topics.view(s);
  auto& p = s->probe();
  return {{"topicArn", s->topic_arn()},
          {"subscriptionArn", s->arn()},
          {"protocol", s->protocol()},
          {"endpoint", s->endpoint()},
          {"pendingConfirmation", v.pending},
          {"confirmationWasAuthenticated", v.authenticated},
          {"notificationsDelivered", p.delivered.load()},
          {"notificationsFailed", p.failed.load()},
          {"notificationsFilteredOut", p.filtered_out.load()},
          {"deliveryLagSeconds", s->oldest_pending_age_ms() / 1000}};
}

sluice::Status<Error> SubscriptionResources::check(const resource::Placement& where, const std::string& name,
                                                   const json& spec, const resource::PendingLookup& pending) const {
  auto parsed = subscription_spec(spec, name, where);
  if (!parsed.ok()) return Failure<Error>{parsed.error()};
  auto topic = topics_.find(parsed->topic_arn);
  if (!topic) {
    // A topic of the same set is created first; its own check covers its spec.
    if (!parsed->topic_name.empty() && pending("Topic", parsed->topic_name)) return {};
    return fail(errc::not_found, "spec.topic", "the topic " + parsed->topic_arn + " does not exist");
  }
  return topics_.check_subscription(topic, request_of(*parsed, where, name));
}

void SubscriptionResources::apply(const resource::Placement& where, const std::string& name, const json& spec,
                                  resource::ApplyDone done) {
  auto parsed = subscription_spec(spec, name, where);
  if (!parsed.ok()) return done(Failure<Error>{parsed.error()});
  auto topic = topics_.find(parsed->topic_arn);
  if (!topic) return done(fail(errc::not_found, "spec.topic", "the topic " + parsed->topic_arn + " does not exist"));
  auto finish = [this, done](Result<SubscriptionView, Error> v) {
    if (!v.ok()) return done(Failure<Error>{v.error()});
    done(status_of(topics_, v->subscription));
  };
  const SubscribeRequest request = request_of(*parsed, where, name);
  // The spec names another topic or endpoint than the subscription has: a new subscription.
  auto current = topics_.find_resource(where.region, where.account, name);
  if (current && (current->topic_arn() != topic->arn() || current->endpoint() != request.endpoint)) {
    return topics_.unsubscribe(current->arn(), [this, topic, request, finish](Status<Error> s) {
      if (!s.ok()) return finish(Failure<Error>{s.error()});
      topics_.apply_subscription(topic, request, finish);
    });
  }
  topics_.apply_subscription(topic, request, finish);
}

std::optional<json> SubscriptionResources::status(const resource::Placement& where, const std::string& name) const {
  auto s = topics_.find_resource(where.region, where.account, name);
  if (!s) return std::nullopt;
  return status_of(topics_, s);
}

void SubscriptionResources::remove(const resource::Placement& where, const std::string& name,
                                   resource::RemoveDone done) {
  auto s = topics_.find_resource(where.region, where.account, name);
  if (!s) return done({});
  topics_.unsubscribe(s->arn(), std::move(done));
}

std::vector<json> SubscriptionResources::list(const std::string&) const {
  std::vector<json> out;
  for (const auto& s : topics_.all_subscriptions()) out.push_back(status_of(topics_, s));
  return out;
}

}  // namespace sluice::topic
