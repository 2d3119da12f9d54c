#include "runtime/queue/spec.h"

#include "runtime/common/arn.h"
#include "runtime/common/text.h"

namespace sluice::queue {
namespace {

using resource::Field;
using resource::json;
using resource::wire_text;
using Type = Field::Type;
using Kind = AttributeDef::Kind;

bool has(const json& o, const char* key) { return o.is_object() && o.contains(key); }

std::string queue_name_of(const json& spec, std::string_view name) {
  return has(spec, "queueName") && spec["queueName"].is_string() ? spec["queueName"].get<std::string>()
                                                                 : std::string(name);
}

// FIFO-ness is spec.fifoQueue when set, else the queue name's .fifo suffix.
bool fifo_of(const json& spec, std::string_view name) {
  if (has(spec, "fifoQueue")) return spec["fifoQueue"].get<bool>();
  return ends_with(queue_name_of(spec, name), ".fifo");
}

const char* kFifoName =
    "(has(self.spec.queueName) && self.spec.queueName.endsWith('.fifo') || "
    "!has(self.spec.queueName) && self.metadata.name.endsWith('.fifo'))";

Field redrive_policy_field(const AttributeDef& d) {
  Field f{std::string(d.spec_name), Type::object, std::string(d.doc)};
  f.fields = {
      Field{"deadLetterTargetQueue", Type::string, "Name of the dead-letter queue, in the same namespace."},
      Field{"deadLetterTargetArn", Type::string, "ARN of the dead-letter queue (instead of deadLetterTargetQueue)."},
      Field{"maxReceiveCount", Type::integer, "Receives after which a message moves to the dead-letter queue.",
            limits::kMinMaxReceiveCount, limits::kMaxMaxReceiveCount},
  };
  f.fields.back().required = true;
  f.rules.push_back({"has(self.deadLetterTargetQueue) != has(self.deadLetterTargetArn)",
                     "set exactly one of deadLetterTargetQueue and deadLetterTargetArn", "",
                     [](const json& self, std::string_view) {
                       return has(self, "deadLetterTargetQueue") != has(self, "deadLetterTargetArn");
                     }});
  return f;
}

Field redrive_allow_policy_field(const AttributeDef& d) {
  Field f{std::string(d.spec_name), Type::object, std::string(d.doc)};
  Field permission{"redrivePermission", Type::string,
                   "allowAll: any queue; denyAll: none; byQueue: the queues listed."};
  permission.values = {"allowAll", "denyAll", "byQueue"};
  permission.required = true;
  auto list = [](const char* name, const char* doc) {
    Field l{name, Type::list, doc};
    l.max = int64_t(limits::kMaxRedriveSourceArns);
    l.items = {Field{"", Type::string}};
    return l;
  };
  f.fields = {permission, list("sourceQueues", "Names of the allowed source queues (same namespace)."),
              list("sourceQueueArns", "ARNs of the allowed source queues.")};
  auto sources = [](const json& self) { return has(self, "sourceQueues") || has(self, "sourceQueueArns"); };
  auto count = [](const json& self) {
    size_t n = 0;
    for (const char* k : {"sourceQueues", "sourceQueueArns"})
      if (has(self, k)) n += self[k].size();
    return n;
  };
  f.rules.push_back({"self.redrivePermission != 'byQueue' || has(self.sourceQueues) || has(self.sourceQueueArns)",
                     "byQueue needs sourceQueues or sourceQueueArns", "",
                     [sources](const json& self, std::string_view) {
                       return self["redrivePermission"] != "byQueue" || sources(self);
                     }});
  f.rules.push_back({"self.redrivePermission == 'byQueue' || !has(self.sourceQueues) && !has(self.sourceQueueArns)",
                     "source queues may only be listed with byQueue", "",
                     [sources](const json& self, std::string_view) {
                       return self["redrivePermission"] == "byQueue" || !sources(self);
                     }});
  // Both lists together: the CRD bounds each list, and this their sum.
  f.rules.push_back(
      {"!has(self.sourceQueues) || !has(self.sourceQueueArns) || size(self.sourceQueues) + "
       "size(self.sourceQueueArns) <= " +
           std::to_string(limits::kMaxRedriveSourceArns),
       "at most " + std::to_string(limits::kMaxRedriveSourceArns) + " source queues in all", "",
       [count](const json& self, std::string_view) { return count(self) <= limits::kMaxRedriveSourceArns; }});
  return f;
}

// A spec field for each attribute of the table, typed and bounded as the table says.
Field attribute_field(const AttributeDef& d) {
  const QueueAttributes defaults;
  const bool kms = d.spec_name.substr(0, 3) == "kms" || d.spec_name == "sqsManagedSseEnabled";
  std::string doc(d.doc);
  if (!d.aws_name.empty()) doc += " SQS attribute " + std::string(d.aws_name) + ".";
  Field f{std::string(d.spec_name), Type::string, doc};
  switch (d.kind) {
    case Kind::integer:
      f.type = Type::integer;
      f.min = d.min;
      f.max = d.max;
      // KMS settings and FIFO-only ones are left out unless given, as GetQueueAttributes leaves them out.
      if (!d.fifo_only && !kms) f.default_value = std::stoll(d.get(defaults));
      break;
    case Kind::boolean:
      f.type = Type::boolean;
      break;
    case Kind::enumeration:
      for (auto v : d.values) f.values.emplace_back(v);
      if (!d.fifo_only) f.default_value = d.get(defaults);
      break;
    case Kind::text:
      break;
    case Kind::redrive_policy:
      f = redrive_policy_field(d);
      break;
    case Kind::redrive_allow_policy:
      f = redrive_allow_policy_field(d);
      break;
  }
  f.immutable = d.create_only;
  return f;
}

// The spec's plain attribute fields as typed attributes (for the rules between
// them; the spec is well-formed by then).
QueueAttributes attributes_of(const json& spec) {
  QueueAttributes attrs;
  for (const auto& d : attribute_defs()) {
    auto it = spec.find(std::string(d.spec_name));
    if (it != spec.end() && it->is_primitive()) (void)d.set(attrs, wire_text(*it));
  }
  return attrs;
}

resource::KindDef make_queue_kind() {
  resource::KindDef k;
  k.kind = "Queue";
  k.plural = "queues";
  k.singular = "queue";
  k.short_names = {"sq"};
  k.description = "An SQS queue served by the Sluice runtime. Its spec holds the SQS queue attributes in camelCase.";
  k.name_field = "queueName";
  k.address_field = "queueUrl";
  Field name{"queueName", Type::string,
             "The SQS queue name, for names Kubernetes cannot hold (upper case, underscores); defaults to "
             "metadata.name."};
  name.pattern = "^([A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\\.fifo)$";
  name.max = int64_t(limits::kMaxQueueNameLength);
  name.immutable = true;
  k.spec.push_back(name);
  for (const auto& d : attribute_defs()) k.spec.push_back(attribute_field(d));
  k.spec.push_back(resource::tags_field("Queue tags (ListQueueTags).", int64_t(limits::kMaxTagsPerQueue)));
  k.spec.push_back(resource::deletion_policy_field(
      "Delete: deleting the resource deletes the queue and its messages. Retain: the queue and its messages stay in "
      "the runtime."));

  for (const auto& r : attribute_rules())
    k.spec_rules.push_back(
        {std::string(r.cel), std::string(r.message), "",
         [holds = r.holds](const json& spec, std::string_view) { return holds(attributes_of(spec)); }});
  // Rules that need the queue's name sit at the root of the object, where CEL sees metadata.name.
  k.root_rules.push_back(
      {"!has(self.spec) || !has(self.spec.fifoQueue) || self.spec.fifoQueue == " + std::string(kFifoName),
       "fifoQueue must be true exactly when the queue name ends in .fifo", "fifoQueue",
       [](const json& spec, std::string_view resource_name) {
         return !has(spec, "fifoQueue") ||
                spec["fifoQueue"].get<bool>() == ends_with(queue_name_of(spec, resource_name), ".fifo");
       }});
  for (const char* f : {"contentBasedDeduplication", "deduplicationScope", "fifoThroughputLimit"})
    k.root_rules.push_back(
        {"!has(self.spec) || !has(self.spec." + std::string(f) +
             ") || has(self.spec.fifoQueue) && self.spec.fifoQueue || !has(self.spec.fifoQueue) && " + kFifoName,
         std::string(f) + " applies only to FIFO queues", f, [f](const json& spec, std::string_view resource_name) {
           return !has(spec, f) || fifo_of(spec, resource_name);
         }});

  k.status = {
      Field{"queueName", Type::string, "The SQS queue name."},
      Field{"queueUrl", Type::string, "The queue URL to give the AWS SDKs."},
      Field{"queueArn", Type::string, "The queue ARN."},
      Field{"accountId", Type::string, "The account the namespace maps to."},
      Field{"approximateNumberOfMessages", Type::integer, "Messages available for retrieval.", 0},
      Field{"approximateNumberOfMessagesNotVisible", Type::integer, "Messages in flight.", 0},
      Field{"approximateNumberOfMessagesDelayed", Type::integer, "Messages delayed.", 0},
  };
  k.columns = {
      {"Visible", "integer", ".status.approximateNumberOfMessages", "Messages available"},
      {"In-Flight", "integer", ".status.approximateNumberOfMessagesNotVisible",
       "Messages received and not yet deleted"},
      {"URL", "string", ".status.queueUrl", "Queue URL for the AWS SDKs"},
      {"Delayed", "integer", ".status.approximateNumberOfMessagesDelayed", "Messages delayed", 1},
      {"ARN", "string", ".status.queueArn", "Queue ARN", 1},
  };
  k.references = [](const json& spec, std::string_view) {
    std::vector<resource::Reference> refs;
    // Called on specs not validated yet (the operator's cache): anything but a string names nothing.
    if (has(spec, "redrivePolicy") && has(spec["redrivePolicy"], "deadLetterTargetQueue") &&
        spec["redrivePolicy"]["deadLetterTargetQueue"].is_string())
      refs.push_back({"Queue", spec["redrivePolicy"]["deadLetterTargetQueue"].get<std::string>(),
                      "spec.redrivePolicy.deadLetterTargetQueue"});
    return refs;
  };
  return k;
}

}  // namespace

const resource::KindDef& queue_kind() {
  static const resource::KindDef kind = make_queue_kind();
  return kind;
}

QueueSpec parse_queue_spec(const json& spec_in, const std::string& name, std::vector<resource::SpecError>& errors) {
  const json spec = spec_in.is_null() ? json::object() : spec_in;
  QueueSpec out;
  out.queue_name = name;
  if (!spec.is_object()) {
    errors.push_back({"spec", "must be a mapping"});
    return out;
  }
  // Structure, bounds and rules first; what follows reads a spec known to be well-formed.
  auto invalid = resource::validate(queue_kind(), spec, name);
  if (!invalid.empty()) {
    errors.insert(errors.end(), invalid.begin(), invalid.end());
    return out;
  }
  out.queue_name = queue_name_of(spec, name);
  for (const auto& d : attribute_defs()) {
    auto it = spec.find(std::string(d.spec_name));
    if (it == spec.end()) continue;
    switch (d.kind) {
      case Kind::redrive_policy: {
        RedrivePolicy p;
        p.max_receive_count = (*it)["maxReceiveCount"].get<int>();
        if (has(*it, "deadLetterTargetQueue")) out.dead_letter_target_queue = (*it)["deadLetterTargetQueue"];
        if (has(*it, "deadLetterTargetArn")) p.dead_letter_target_arn = (*it)["deadLetterTargetArn"];
        out.attributes.redrive_policy = std::move(p);
        break;
      }
      case Kind::redrive_allow_policy: {
        RedriveAllowPolicy p;
        const std::string perm = (*it)["redrivePermission"];
        p.permission = perm == "allowAll"  ? RedrivePermission::allow_all
                       : perm == "denyAll" ? RedrivePermission::deny_all
                                           : RedrivePermission::by_queue;
        if (has(*it, "sourceQueues")) out.redrive_source_queues = (*it)["sourceQueues"].get<std::vector<std::string>>();
        if (has(*it, "sourceQueueArns")) p.source_queue_arns = (*it)["sourceQueueArns"].get<std::vector<std::string>>();
        out.attributes.redrive_allow_policy = std::move(p);
        break;
      }
      default:
        if (auto s = d.set(out.attributes, wire_text(*it)); !s)
          errors.push_back({"spec." + std::string(d.spec_name), s.error().message});
    }
  }
  if (!has(spec, "fifoQueue")) out.attributes.fifo_queue = ends_with(out.queue_name, ".fifo");
  if (!out.attributes.kms_master_key_id.empty()) out.attributes.sqs_managed_sse_enabled = false;
  if (has(spec, "tags"))
    for (const auto& [k, v] : spec["tags"].items()) out.tags.emplace_back(k, v.get<std::string>());
  if (has(spec, "deletionPolicy") && spec["deletionPolicy"] == "Retain") out.deletion_policy = DeletionPolicy::retain;
  return out;
}

QueueAttributes resolve_queue_spec(const QueueSpec& spec, const std::string& account, const std::string& region) {
  QueueAttributes attrs = spec.attributes;
  auto arn_of = [&](const std::string& name) { return Arn{"aws", "sqs", region, account, name}.str(); };
  if (attrs.redrive_policy && !spec.dead_letter_target_queue.empty())
    attrs.redrive_policy->dead_letter_target_arn = arn_of(spec.dead_letter_target_queue);
  if (attrs.redrive_allow_policy)
    for (const auto& name : spec.redrive_source_queues)
      attrs.redrive_allow_policy->source_queue_arns.push_back(arn_of(name));
  return attrs;
}

}  // namespace sluice::queue
