#include "runtime/topic/spec.h"

#include "runtime/common/arn.h"
#include "runtime/common/text.h"

namespace sluice::topic {
namespace {

using resource::Field;
using resource::json;
using resource::wire_text;
using Type = Field::Type;
using Kind = AttributeDef::Kind;

bool has(const json& o, const char* key) { return o.is_object() && o.contains(key); }

// A spec field for each attribute of a table, typed as the table says.
Field attribute_field(const AttributeDef& d, std::string_view service) {
  Field f{std::string(d.spec_name), Type::string,
          std::string(d.doc) + " " + std::string(service) + " attribute " + std::string(d.aws_name) + "."};
  switch (d.kind) {
    case Kind::boolean:
      f.type = Type::boolean;
      break;
    case Kind::integer:
      f.type = Type::integer;
      break;
    case Kind::enumeration:
      // SignatureVersion is a number to YAML users: 1 or 2.
      if (d.aws_name == "SignatureVersion") {
        f.type = Type::integer;
        f.min = 1;
        f.max = 2;
      } else {
        for (auto v : d.values) f.values.emplace_back(v);
      }
      break;
    case Kind::json:
      f.type = Type::object;
      f.free_form = true;
      break;
    case Kind::text:
      break;
  }
  f.immutable = d.create_only;
  return f;
}

Field deletion_field(const char* what) {
  return resource::deletion_policy_field(std::string("Delete: deleting the resource deletes the ") + what +
                                         ". Retain: it stays in the runtime.");
}

std::string topic_name_of(const json& spec, std::string_view name) {
  return has(spec, "topicName") && spec["topicName"].is_string() ? spec["topicName"].get<std::string>()
                                                                 : std::string(name);
}

const char* kFifoName =
    "(has(self.spec.topicName) && self.spec.topicName.endsWith('.fifo') || "
    "!has(self.spec.topicName) && self.metadata.name.endsWith('.fifo'))";

resource::KindDef make_topic_kind() {
  resource::KindDef k;
  k.kind = "Topic";
  k.plural = "topics";
  k.singular = "topic";
  k.short_names = {"snstopic"};
  k.description =
      "An SNS topic served by the Sluice runtime: publishers send once, every Subscription gets what its filter lets "
      "through. Its spec holds the SNS topic attributes in camelCase.";
  k.name_field = "topicName";
  k.address_field = "topicArn";
  Field name{"topicName", Type::string,
             "The SNS topic name, for names Kubernetes cannot hold (upper case, underscores); defaults to "
             "metadata.name. FIFO topics end in .fifo."};
  name.pattern = "^([A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\\.fifo)$";
  name.immutable = true;
  k.spec.push_back(name);
  for (const auto& d : topic_attribute_defs()) k.spec.push_back(attribute_field(d, "SNS topic"));
  k.spec.push_back(resource::tags_field("Topic tags (ListTagsForResource).", int64_t(limits::kMaxTagsPerTopic)));
  k.spec.push_back(deletion_field("topic and its subscriptions"));
  k.root_rules.push_back(
      {"!has(self.spec) || !has(self.spec.fifoTopic) || self.spec.fifoTopic == " + std::string(kFifoName),
       "fifoTopic must be true exactly when the topic name ends in .fifo", "fifoTopic",
       [](const json& spec, std::string_view n) {
         return !has(spec, "fifoTopic") || spec["fifoTopic"].get<bool>() == ends_with(topic_name_of(spec, n), ".fifo");
       }});
  for (const char* f : {"contentBasedDeduplication", "fifoThroughputScope", "archivePolicy"})
    k.root_rules.push_back({"!has(self.spec) || !has(self.spec." + std::string(f) + ") || " + kFifoName,
                            std::string(f) + " applies only to FIFO topics", f,
                            [f](const json& spec, std::string_view n) {
                              return !has(spec, f) || ends_with(topic_name_of(spec, n), ".fifo");
                            }});
  k.status = {
      Field{"topicName", Type::string, "The SNS topic name."},
      Field{"topicArn", Type::string, "The topic ARN to publish to."},
      Field{"accountId", Type::string, "The account the namespace maps to."},
      Field{"subscriptionsConfirmed", Type::integer, "Confirmed subscriptions.", 0},
      Field{"subscriptionsPending", Type::integer, "Subscriptions waiting for confirmation.", 0},
      Field{"messagesPublished", Type::integer, "Messages published since the runtime started.", 0},
  };
  k.columns = {
      {"ARN", "string", ".status.topicArn", "Topic ARN for the AWS SDKs"},
      {"Subscriptions", "integer", ".status.subscriptionsConfirmed", "Confirmed subscriptions"},
      {"Published", "integer", ".status.messagesPublished", "Messages published", 1},
  };
  return k;
}

resource::KindDef make_subscription_kind() {
  resource::KindDef k;
  k.kind = "Subscription";
  k.plural = "subscriptions";
  k.singular = "subscription";
  k.short_names = {"snssub"};
  k.description =
      "An SNS subscription served by the Sluice runtime: a Topic's messages delivered to a Queue or an HTTP/S "
      "endpoint, filtered, retried and dead-lettered as SNS does.";
  k.address_field = "subscriptionArn";
  Field topic{"topic", Type::string, "The Topic's name (spec.topicName, or metadata.name) in the same namespace."};
  Field topic_arn{"topicArn", Type::string, "The topic's ARN (instead of topic)."};
  Field queue{"queue", Type::string,
              "Deliver to this SQS queue (its spec.queueName, or metadata.name) in the same namespace."};
  Field queue_arn{"queueArn", Type::string,
                  "Deliver to the SQS queue with this ARN (another namespace's queue, for instance)."};
  Field url{"url", Type::string, "Deliver to this HTTP or HTTPS URL (in a cluster, a Service's URL)."};
  url.pattern = "^https?://.+";
  for (Field* f : {&topic, &topic_arn, &queue, &queue_arn, &url}) f->immutable = true;
  k.spec = {topic, topic_arn, queue, queue_arn, url};
  for (const auto& d : subscription_attribute_defs()) {
    if (d.aws_name == "RedrivePolicy") {
      Field r{"redrivePolicy", Type::object,
              "A dead-letter queue for what could not be delivered. SNS subscription attribute RedrivePolicy."};
      r.fields = {Field{"deadLetterTargetQueue", Type::string, "Name of the dead-letter queue, in the same namespace."},
                  Field{"deadLetterTargetArn", Type::string, "ARN of the dead-letter queue."}};
      r.rules.push_back({"has(self.deadLetterTargetQueue) != has(self.deadLetterTargetArn)",
                         "set exactly one of deadLetterTargetQueue and deadLetterTargetArn", "",
                         [](const json& self, std::string_view) {
                           return has(self, "deadLetterTargetQueue") != has(self, "deadLetterTargetArn");
                         }});
      k.spec.push_back(r);
      continue;
    }
    k.spec.push_back(attribute_field(d, "SNS subscription"));
  }
  k.spec.push_back(deletion_field("subscription"));
  auto count = [](const json& s, std::initializer_list<const char*> keys) {
    int n = 0;
    for (const char* key : keys) n += has(s, key) ? 1 : 0;
    return n;
  };
  k.spec_rules.push_back({"has(self.topic) != has(self.topicArn)", "set exactly one of topic and topicArn", "",
                          [count](const json& s, std::string_view) {
                            return count(s, {"topic", "topicArn"}) == 1;
                          }});
  k.spec_rules.push_back({"(has(self.queue) ? 1 : 0) + (has(self.queueArn) ? 1 : 0) + (has(self.url) ? 1 : 0) == 1",
                          "set exactly one of queue, queueArn and url", "", [count](const json& s, std::string_view) {
                            return count(s, {"queue", "queueArn", "url"}) == 1;
                          }});
  k.spec_rules.push_back({"!has(self.deliveryPolicy) || has(self.url)",
                          "deliveryPolicy applies only to HTTP/S subscriptions (url)", "deliveryPolicy",
                          [](const json& s, std::string_view) { return !has(s, "deliveryPolicy") || has(s, "url"); }});
  k.status = {
      Field{"topicArn", Type::string, "The topic's ARN."},
      Field{"subscriptionArn", Type::string, "The subscription's ARN."},
      Field{"protocol", Type::string, "sqs, http or https."},
      Field{"endpoint", Type::string, "Where messages go: a queue ARN or a URL."},
      Field{"pendingConfirmation", Type::boolean, "An HTTP/S endpoint has not confirmed the subscription yet."},
      Field{"confirmationWasAuthenticated", Type::boolean, "The confirmation was authenticated."},
      Field{"notificationsDelivered", Type::integer, "Messages delivered since the runtime started.", 0},
      Field{"notificationsFailed", Type::integer, "Messages that could not be delivered.", 0},
      Field{"notificationsFilteredOut", Type::integer, "Messages the filter policy kept away.", 0},
      Field{"deliveryLagSeconds", Type::integer, "Age of the oldest message not yet delivered.", 0},
  };
  k.columns = {
      {"Protocol", "string", ".status.protocol", "Delivery protocol"},
      {"Endpoint", "string", ".status.endpoint", "Queue ARN or URL"},
      {"Pending", "boolean", ".status.pendingConfirmation", "Waiting for the endpoint to confirm"},
      {"Delivered", "integer", ".status.notificationsDelivered", "Messages delivered"},
      {"ARN", "string", ".status.subscriptionArn", "Subscription ARN", 1},
  };
  k.references = [](const json& spec, std::string_view) {
    std::vector<resource::Reference> refs;
    auto ref = [&](const char* kind, const json& v, const char* field) {
      if (v.is_string()) refs.push_back({kind, v.get<std::string>(), field});
    };
    if (has(spec, "topic")) ref("Topic", spec["topic"], "spec.topic");
    if (has(spec, "queue")) ref("Queue", spec["queue"], "spec.queue");
    if (has(spec, "redrivePolicy") && has(spec["redrivePolicy"], "deadLetterTargetQueue"))
      ref("Queue", spec["redrivePolicy"]["deadLetterTargetQueue"], "spec.redrivePolicy.deadLetterTargetQueue");
    return refs;
  };
  return k;
}

// The spec's attribute fields as AWS-named wire values.
template <class Out>
void attributes_of(const json& spec, const std::vector<AttributeDef>& defs, Out& out) {
  for (const auto& d : defs) {
    auto it = spec.find(std::string(d.spec_name));
    if (it == spec.end() || d.aws_name == "RedrivePolicy") continue;
    if constexpr (requires { out.emplace_back(std::string(), std::string()); })
      out.emplace_back(std::string(d.aws_name), wire_text(*it));
    else out[std::string(d.aws_name)] = wire_text(*it);
  }
}

}  // namespace

const resource::KindDef& topic_kind() {
  static const resource::KindDef kind = make_topic_kind();
  return kind;
}

const resource::KindDef& subscription_kind() {
  static const resource::KindDef kind = make_subscription_kind();
  return kind;
}

TopicSpec parse_topic_spec(const json& spec_in, const std::string& name, std::vector<resource::SpecError>& errors) {
  const json spec = spec_in.is_null() ? json::object() : spec_in;
  TopicSpec out;
  out.topic_name = name;
  auto invalid = resource::validate(topic_kind(), spec, name);
  if (!invalid.empty()) {
    errors.insert(errors.end(), invalid.begin(), invalid.end());
    return out;
  }
  out.topic_name = topic_name_of(spec, name);
  attributes_of(spec, topic_attribute_defs(), out.attributes);
  if (ends_with(out.topic_name, ".fifo")) out.attributes["FifoTopic"] = "true";
  if (has(spec, "tags"))
    for (const auto& [k, v] : spec["tags"].items()) out.tags.emplace_back(k, v.get<std::string>());
  return out;
}

SubscriptionSpec parse_subscription_spec(const json& spec_in, const std::string& name,
                                         std::vector<resource::SpecError>& errors) {
  const json spec = spec_in.is_null() ? json::object() : spec_in;
  SubscriptionSpec out;
  auto invalid = resource::validate(subscription_kind(), spec, name);
  if (!invalid.empty()) {
    errors.insert(errors.end(), invalid.begin(), invalid.end());
    return out;
  }
  if (has(spec, "topic")) out.topic_name = spec["topic"];
  if (has(spec, "topicArn")) {
    out.topic_arn = spec["topicArn"];
    auto arn = parse_arn(out.topic_arn);
    if (!arn || arn->service != "sns") errors.push_back({"spec.topicArn", "must be an SNS topic ARN"});
  }
  if (has(spec, "queue")) out.protocol = "sqs", out.queue_name = spec["queue"];
  if (has(spec, "queueArn")) out.protocol = "sqs", out.endpoint = spec["queueArn"];
  if (has(spec, "url")) {
    out.endpoint = spec["url"];
    out.protocol = out.endpoint.rfind("https://", 0) == 0 ? "https" : "http";
  }
  attributes_of(spec, subscription_attribute_defs(), out.attributes);
  if (has(spec, "redrivePolicy")) {
    const auto& r = spec["redrivePolicy"];
    if (has(r, "deadLetterTargetArn"))
      out.attributes.emplace_back("RedrivePolicy", json{{"deadLetterTargetArn", r["deadLetterTargetArn"]}}.dump());
    if (has(r, "deadLetterTargetQueue")) out.dead_letter_queue = r["deadLetterTargetQueue"];
  }
  return out;
}

void resolve_subscription_spec(SubscriptionSpec& spec, const std::string& region, const std::string& account) {
  const std::string sqs = "arn:aws:sqs:" + region + ":" + account + ":";
  if (spec.topic_arn.empty()) spec.topic_arn = "arn:aws:sns:" + region + ":" + account + ":" + spec.topic_name;
  if (!spec.queue_name.empty()) spec.endpoint = sqs + spec.queue_name;
  if (!spec.dead_letter_queue.empty())
    spec.attributes.emplace_back("RedrivePolicy", json{{"deadLetterTargetArn", sqs + spec.dead_letter_queue}}.dump());
}

}  // namespace sluice::topic
